// Package notify delivers alerts where teams read them: a generic webhook
// (JSON body signed with HMAC-SHA256), Feishu/Lark, DingTalk and WeCom group
// bots, Slack incoming webhooks and e-mail (SMTP with STARTTLS, a text and
// an HTML part), each in the body format and with the
// signing that service documents. Deliveries are retried with exponential
// backoff, and a delivery that still fails is returned as an error naming
// the channel and the status: never silent. Each channel has its own HTTP
// client with connect and request timeouts that follows no redirect, and
// the waits between tries end with the caller's context, so a receiver
// that never answers cannot hold a round.
//
// URLs and secrets come from the watch file or, better, from environment
// variables it names; neither is ever logged nor put in an error (bot URLs
// carry their access tokens), and neither is a receiver's reply body, which
// may echo them. It must not know how alerts are raised or
// stored.
package notify
