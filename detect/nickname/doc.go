// Package nickname decides whether a new term mocks a watched person: it
// shares a character of the person's name or a homophone of one, or it is
// a morph of a historical or fictional figure (岳不群 → 雷不群), and the
// statistics agree (it co-occurs with the person more than chance, or rises
// when the person's mentions rise). Every link carries its evidence.
//
// It works on plain strings and counts; it must not know about storage,
// term discovery or alerting.
package nickname
