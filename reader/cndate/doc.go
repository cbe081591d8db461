// Package cndate reads times and counts the way Chinese sites and crawlers
// write them: "2024/3/30 12:22", "2024年3月30日", unix seconds or
// milliseconds, Weibo's "Sat Mar 30 12:22:33 +0800 2024", relative forms
// such as "3分钟前" or "昨天 08:00", and counts such as "1.2万" or "10万+".
//
// It knows nothing about files, formats or domain types: strings in,
// time.Time and int64 out.
package cndate
