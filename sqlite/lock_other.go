//go:build !unix

package sqlite

// lockFile is not implemented off Unix: the lock is always free there, and
// running two detector processes over one file is the user's to avoid.
func lockFile(string) (unlock func(), ok bool, err error) { return func() {}, true, nil }
