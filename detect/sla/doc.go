// Package sla measures service against its targets: response-time
// percentiles (p50, p90, p99) per day or week, the share of responses over
// the target and breaches of the watch file's sla rules ("SOS 接通 P90 为
// 360 秒，超过目标 60 秒"); and, from items, the share of service complaints
// that mention waiting ("等了40分钟", "打不通", "没人接") and the share of
// official replies that are canned (near-identical across threads).
//
// Its functions are pure. It must not know about storage, alert lifecycles
// or notification channels, nor how items were selected as complaints or
// official replies: the caller decides.
package sla
