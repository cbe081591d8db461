package query

// Node is one node of a parsed query: *And, *Or, *Not, *Text, *Near or
// *Field.
type Node interface {
	node()
}

// And matches what all of Nodes match.
type And struct{ Nodes []Node }

// Or matches what any of Nodes matches.
type Or struct{ Nodes []Node }

// Not matches what Node does not match.
type Not struct{ Node Node }

// Text matches items whose index units contain Units consecutively; when
// Prefix is set the last unit only has to begin the unit found there (a
// single Chinese character at the end of a word matches the pair of
// characters it starts). Units come from PhraseUnits.
type Text struct {
	Units  []string
	Prefix bool
}

// Near matches items where Left and Right both occur with at most N units
// between them, in either order.
type Near struct {
	Left, Right *Text
	N           int
}

// Field compares one field of an item with Value. Op is "=" for every field
// and also "<", "<=", ">" or ">=" for the counts (likes, reposts, replies,
// views, favorites).
type Field struct {
	Name  string
	Op    string
	Value string
}

func (*And) node()   {}
func (*Or) node()    {}
func (*Not) node()   {}
func (*Text) node()  {}
func (*Near) node()  {}
func (*Field) node() {}
