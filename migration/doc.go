// Package migration is the part of the stores' schema migrations that does
// not depend on the database: the embedded files named NNNN_what.sql in
// version order with their SHA-256 checksums, the check of a store's
// recorded history against them (append-only: an unknown or rewritten
// history is refused with the command to rebuild), which files are still
// to apply, how two schema descriptions differ, and the shipped-checksums
// list that makes editing a shipped file fail a test.
//
// It must not know SQL, drivers or any store's tables: the sqlite and
// postgres packages read and write their own schema_version, describe
// their own schemas and apply the files.
package migration
