// Package storetest is a conformance suite for trustwatch.Store, in the
// manner of testing/fstest: every store implementation (sqlite and
// postgres) runs TestStore from its own tests and must pass the same
// hand-checked expectations.
//
// It must not know any implementation: it reaches the store only through
// the trustwatch interfaces.
package storetest
