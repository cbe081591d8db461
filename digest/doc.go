// Package digest sends the watch file's digests: the report of the past
// day or week, bad news first (built by report), to the digest's channels
// at the time the watch file says. E-mail channels get the report itself;
// the bots a short summary with the top findings and a link to the
// dashboard's report when the watch file gives base_url.
//
// The daemon calls Tick every round. The last period each digest reached
// each channel is kept in the store, so calling it often sends nothing
// twice, and a restart (or a daemon that was down) sends what is due and
// has not been sent, up to a bound. It must not know how rounds are run,
// how channels speak, nor how the report is computed.
package digest
