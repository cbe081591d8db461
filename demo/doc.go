// Package demo generates trustwatch's demonstration scenario: a fictional
// car brand (曜川汽车), its founder (程朗) and its products (曜川Y9, 曜川Y7),
// followed for 120 days across Weibo, Xiaohongshu and Douyin, along the arc
// of the seed essay — launch hype, deliveries, complaints, an accident, a
// mocking nickname for the founder, a lawsuit against a customer, a court
// finding that a marketing claim was exaggerated — plus the hard signals
// (stock, followers, orders, SOS connect times, defect batches) and events.
//
// It writes the files a user would collect (MediaCrawler exports, metric
// CSVs, event JSONL and a watch file), so that the demo runs through the
// same readers as real data. Everything is deterministic for a seed, and
// every name is invented. This package must not know about storage or any
// detector: it only writes files.
package demo
