// Package encoding detects the text encoding of an input from a bounded
// prefix (UTF-8 with or without BOM, UTF-16LE/BE, GB18030/GBK) and turns
// the input into a UTF-8 stream.
//
// Bytes that cannot be decoded are not replaced by U+FFFD: they come out as
// the invalid UTF-8 byte 0xFF, so that the record that holds them can be
// refused by whoever parses the stream, instead of being silently altered
// (real data already carries U+FFFD, so it cannot serve as the marker).
// The package knows nothing about records or formats.
package encoding
