package query

import (
	"strconv"
	"strings"
	"unicode"
)

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tField
	tLParen
	tRParen
	tMinus
	tAnd
	tOr
	tNot
	tNear
)

// token is one lexical token. Columns are 1-based rune offsets into the
// query as typed.
type token struct {
	kind tokKind
	col  int
	// text is a word as typed, a phrase's content, or a field's value.
	text string
	// name and valCol are a field's lower-cased name and the column of
	// its value.
	name   string
	valCol int
	// n is NEAR's distance.
	n int
}

// defaultNear is the distance of NEAR without /n.
const defaultNear = 10

// maxNear is the largest n of NEAR/n.
const maxNear = 100

// lex cuts a query into tokens. Only ASCII characters are syntax: full-width
// brackets, quotes and colons are text.
func lex(s string) ([]token, error) {
	rs := []rune(s)
	var toks []token
	for i := 0; i < len(rs); {
		r := rs[i]
		col := i + 1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{kind: tLParen, col: col})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, col: col})
			i++
		case r == '"':
			text, next, ok := quoted(rs, i)
			if !ok {
				return nil, errorf(col, "unterminated quote: close the phrase with \"")
			}
			toks = append(toks, token{kind: tPhrase, col: col, text: text})
			i = next
		case r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != ')':
			// A minus that begins a term negates it; inside a word
			// ("wi-fi") it is the word's.
			toks = append(toks, token{kind: tMinus, col: col})
			i++
		default:
			j := i
			for j < len(rs) && !endsWord(rs[j]) {
				j++
			}
			tok, next, err := word(rs, i, j)
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok)
			i = next
		}
	}
	return append(toks, token{kind: tEOF, col: len(rs) + 1}), nil
}

// endsWord reports whether r ends a bare word.
func endsWord(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || r == '"'
}

// quoted reads the quoted string that starts at rs[i] == '"'. A backslash
// escapes the next character (\" and \\). It returns the content and the
// index after the closing quote.
func quoted(rs []rune, i int) (string, int, bool) {
	var b strings.Builder
	for j := i + 1; j < len(rs); j++ {
		switch rs[j] {
		case '\\':
			if j+1 < len(rs) {
				j++
			}
			b.WriteRune(rs[j])
		case '"':
			return b.String(), j + 1, true
		default:
			b.WriteRune(rs[j])
		}
	}
	return "", 0, false
}

// word classifies the bare word rs[i:j]: an operator, a field or a word.
func word(rs []rune, i, j int) (token, int, error) {
	w := string(rs[i:j])
	col := i + 1
	switch w {
	case "AND":
		return token{kind: tAnd, col: col}, j, nil
	case "OR":
		return token{kind: tOr, col: col}, j, nil
	case "NOT":
		return token{kind: tNot, col: col}, j, nil
	case "NEAR":
		return token{kind: tNear, col: col, n: defaultNear}, j, nil
	}
	if d, ok := strings.CutPrefix(w, "NEAR/"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > maxNear || d[0] == '+' {
			return token{}, 0, errorf(col, "NEAR/n needs a whole number n from 0 to %d, not %q", maxNear, d)
		}
		return token{kind: tNear, col: col, n: n}, j, nil
	}
	k := i
	for k < j && isASCIILetter(rs[k]) {
		k++
	}
	if k == i || k == j || rs[k] != ':' {
		return token{kind: tWord, col: col, text: w}, j, nil
	}
	name := strings.ToLower(string(rs[i:k]))
	if _, ok := fields[name]; !ok {
		return token{}, 0, errorf(col, "unknown field %q: use one of %s", string(rs[i:k]), strings.Join(fieldNames, ", "))
	}
	tok := token{kind: tField, col: col, name: name, valCol: k + 2, text: string(rs[k+1 : j])}
	next := j
	if k+1 == j && j < len(rs) && rs[j] == '"' {
		v, after, ok := quoted(rs, j)
		if !ok {
			return token{}, 0, errorf(j+1, "unterminated quote: close the value with \"")
		}
		tok.text, next = v, after
	}
	return tok, next, nil
}

func isASCIILetter(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}
