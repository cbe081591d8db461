// Package ledger keeps the trust ledger: every marketing claim of the watch
// file is a charge (its hype), user evidence that confirms it repays, and
// evidence that contradicts it defaults. Each claim carries a Beta
// reputation with forgetting (r confirming, s contradicting weight, halved
// every half-life), a status by day and links to the items behind it; a
// brand's balance sums its claims. It also finds say-do gaps: an action
// (a lawsuit against users) that follows a stated value ("和用户做朋友").
//
// Evidence is matched at query time over what the store holds, so a claim
// added to the watch file later applies to items already stored. The core
// is pure (functions over []trustwatch.Item and []trustwatch.Event); the
// store-facing functions only fetch candidates.
//
// It must not know how items are stored, how sentiment or aspects were
// computed (they are inputs), or how text is segmented (a cut function is
// passed in).
package ledger
