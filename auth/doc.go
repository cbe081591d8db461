// Package auth is trustwatch's access control: users with passwords,
// browser sessions, API and push tokens, and the roles that decide what
// each may do (trustwatch.Role).
//
// Passwords are hashed with bcrypt (golang.org/x/crypto/bcrypt). A session
// id and a token secret are 32 random bytes; the store keeps only their
// SHA-256, so reading the store gives nobody a way in. A session carries a
// random CSRF token that every form posted under it must repeat. A push
// source's token may also come from the environment variable its watch-file
// entry names (token_env); it is compared in constant time.
//
// It must not know about HTTP, cookies or templates (package web turns
// requests into calls here), nor about SQL: it talks to a
// trustwatch.UserStore and a trustwatch.TokenStore. No secret it handles
// is ever put in an error or a log.
package auth
