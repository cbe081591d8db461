// Package voice measures how predictable a watched person's or brand's own
// posts have become: a character n-gram language model with interpolated
// modified Kneser-Ney smoothing scores each new post against the account's
// earlier posts and against everyone else, and the replies to the posts are
// searched for fatigue and parody ("又来了", imitation of the account's
// signature phrases). It raises voice.predictable detections.
//
// It reads items through trustwatch.ItemStore and knows nothing of the
// storage behind it, of sentiment or term models, or of how alerts are
// delivered.
package voice
