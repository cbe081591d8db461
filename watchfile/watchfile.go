package watchfile

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"trustwatch"
	"trustwatch/detect"
	"trustwatch/query"
)

// Example is the commented watch file `trustwatch init` writes.
//
//go:embed example.yaml
var Example string

// Load reads and checks the watch file at path.
func Load(path string) (*trustwatch.Watch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "watch file: %v", err)
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads and checks a watch file; name is used in messages.
func Parse(name string, r io.Reader) (*trustwatch.Watch, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: %v", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: %s", name, yamlMessage(err))
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	if err := check(&f, &root); err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: %v", name, err)
	}
	w := f.Watch
	for _, t := range f.Topics {
		w.Entities = append(w.Entities, trustwatch.Entity{ID: t.ID, Kind: trustwatch.EntityTopic, Name: t.Name, Query: t.Query})
	}
	return &w, nil
}

// file is the watch file as written: the Watch, and topics, which the
// loader turns into entities of kind topic so that everything downstream
// (tagging, rollups, detectors, pages) sees one kind of thing.
type file struct {
	trustwatch.Watch `yaml:",inline"`
	Topics           []topic `yaml:"topics,omitempty"`
}

// topic is a saved query: its items are the ones the query matches.
type topic struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Query string `yaml:"query"`
}

// yamlMessage turns yaml.v3's "yaml: unmarshal errors:\n  line 7: field x
// not found in type trustwatch.Entity" into "line 7: unknown key x (in
// entities)".
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(err.Error(), "yaml: ")
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, m := range te.Errors {
		if i := strings.Index(m, ": field "); i >= 0 && strings.Contains(m, " not found in type ") {
			line := m[:i]
			rest := m[i+len(": field "):]
			field := rest[:strings.Index(rest, " not found")]
			typ := rest[strings.LastIndex(rest, ".")+1:]
			msgs = append(msgs, fmt.Sprintf("%s: unknown key %q (in %s)", line, field, section(typ)))
			continue
		}
		msgs = append(msgs, m)
	}
	return strings.Join(msgs, "; ")
}

func section(typ string) string {
	switch typ {
	case "Watch":
		return "the top level"
	case "Entity":
		return "an entity"
	case "AspectDef":
		return "an aspect"
	case "Claim":
		return "a claim"
	case "Value":
		return "a value"
	case "SeriesDef":
		return "a series"
	case "Rule":
		return "a rule"
	case "Channel":
		return "a channel"
	case "Source":
		return "a source"
	case "Digest":
		return "a digest"
	case "topic":
		return "a topic"
	case "file":
		return "the top level"
	}
	return typ
}

// Known vocabularies.
var (
	entityKinds = set(trustwatch.EntityBrand, trustwatch.EntityPerson, trustwatch.EntityProduct, trustwatch.EntityCompetitor)
	claimKinds  = set("", "performance", "safety", "quality", "price", "service", "design", "value")
	seriesKinds = set("", trustwatch.SeriesPrice, trustwatch.SeriesMarketCap, trustwatch.SeriesFollowers,
		trustwatch.SeriesOrders, trustwatch.SeriesResponseSeconds, trustwatch.SeriesDefects, "other")
	severities   = set("", trustwatch.SeverityLow, trustwatch.SeverityMedium, trustwatch.SeverityHigh, trustwatch.SeverityCritical)
	channelTypes = set("webhook", "feishu", "lark", "dingtalk", "wecom", "slack", "email")
)

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// check validates references and vocabularies, naming the line of the
// offending entry when the YAML tree has it.
func check(f *file, root *yaml.Node) error {
	w := &f.Watch
	var errs []string
	fail := func(sectionName string, i int, format string, args ...any) {
		loc := ""
		if n := entryNode(root, sectionName, i); n != nil {
			loc = fmt.Sprintf("line %d: ", n.Line)
		}
		errs = append(errs, loc+fmt.Sprintf(format, args...))
	}
	ids := map[string]bool{}
	for i, e := range w.Entities {
		switch {
		case e.ID == "":
			fail("entities", i, "entity without id")
		case ids[e.ID]:
			fail("entities", i, "entity id %q used twice", e.ID)
		case e.Kind == trustwatch.EntityTopic:
			fail("entities", i, "entity %q: a topic is declared under topics: with a query, not as an entity", e.ID)
		case !entityKinds[e.Kind]:
			fail("entities", i, "entity %q: kind %q is not brand, person, product or competitor", e.ID, e.Kind)
		case e.Query != "":
			fail("entities", i, "entity %q: only topics have a query (declare it under topics:)", e.ID)
		case strings.TrimSpace(e.Name) == "":
			fail("entities", i, "entity %q has no name", e.ID)
		}
		ids[e.ID] = true
	}
	topicIDs := map[string]bool{}
	for _, t := range f.Topics {
		topicIDs[t.ID] = true
	}
	for i, t := range f.Topics {
		switch {
		case t.ID == "":
			fail("topics", i, "topic without id")
		case ids[t.ID]:
			fail("topics", i, "topic id %q used twice (ids are shared by entities and topics)", t.ID)
		case strings.TrimSpace(t.Name) == "":
			fail("topics", i, "topic %q has no name", t.ID)
		case strings.TrimSpace(t.Query) == "":
			fail("topics", i, "topic %q has no query", t.ID)
		default:
			if msg := checkQuery(t.Query, topicIDs); msg != "" {
				fail("topics", i, "topic %q: query %s", t.ID, msg)
			}
		}
		ids[t.ID] = true
	}
	for i, e := range w.Entities {
		switch {
		case e.Parent != "" && !ids[e.Parent]:
			fail("entities", i, "entity %q: parent %q is not an entity", e.ID, e.Parent)
		case topicIDs[e.Parent]:
			fail("entities", i, "entity %q: parent %q is a topic, not an entity", e.ID, e.Parent)
		}
	}
	for i, a := range w.Aspects {
		if a.ID == "" {
			fail("aspects", i, "aspect without id")
		}
	}
	claimIDs := map[string]bool{}
	for i, c := range w.Claims {
		switch {
		case c.ID == "" || claimIDs[c.ID]:
			fail("claims", i, "claim id %q missing or used twice", c.ID)
		case !ids[c.Entity]:
			fail("claims", i, "claim %q: entity %q is not declared", c.ID, c.Entity)
		case topicIDs[c.Entity]:
			fail("claims", i, "claim %q: entity %q is a topic; a claim is made by a brand, person or product", c.ID, c.Entity)
		case strings.TrimSpace(c.Text) == "":
			fail("claims", i, "claim %q has no text", c.ID)
		case c.Date.IsZero():
			fail("claims", i, "claim %q has no date", c.ID)
		case !claimKinds[c.Kind]:
			fail("claims", i, "claim %q: unknown kind %q", c.ID, c.Kind)
		}
		claimIDs[c.ID] = true
	}
	for i, v := range w.Values {
		if v.ID == "" || !ids[v.Entity] || topicIDs[v.Entity] || strings.TrimSpace(v.Text) == "" {
			fail("values", i, "value %q needs an id, a declared entity (not a topic) and a text", v.ID)
		}
	}
	seriesIDs := map[string]bool{}
	for i, s := range w.Series {
		switch {
		case s.ID == "" || seriesIDs[s.ID]:
			fail("series", i, "series id %q missing or used twice", s.ID)
		case s.Entity != "" && (!ids[s.Entity] || topicIDs[s.Entity]):
			fail("series", i, "series %q: entity %q is not declared", s.ID, s.Entity)
		case !seriesKinds[s.Kind]:
			fail("series", i, "series %q: unknown kind %q", s.ID, s.Kind)
		}
		seriesIDs[s.ID] = true
	}
	sourceIDs := map[string]bool{}
	for i, src := range w.Sources {
		switch kind := src.SourceKind(); {
		case src.ID != "" && sourceIDs[src.ID]:
			fail("sources", i, "source id %q used twice", src.ID)
		case kind != trustwatch.SourceDir && kind != trustwatch.SourceFeed && kind != trustwatch.SourcePush:
			fail("sources", i, "source %q: kind %q is not dir, feed or push", src.ID, src.Kind)
		case kind == trustwatch.SourceDir && src.Path == "":
			fail("sources", i, "source %q: a dir source needs a path", src.ID)
		case kind == trustwatch.SourceFeed && src.URL == "":
			fail("sources", i, "source %q: a feed source needs a url", src.ID)
		case kind != trustwatch.SourceDir && src.ID == "":
			fail("sources", i, "a %s source needs an id", kind)
		case kind == trustwatch.SourcePush && src.TokenEnv == "":
			fail("sources", i, "source %q: a push source needs token_env, the variable holding its token", src.ID)
		case src.Interval.D() < 0 || src.Expect.D() < 0:
			fail("sources", i, "source %q: interval and expect must not be negative", src.ID)
		case src.MaxFieldBytes < 0:
			fail("sources", i, "source %q: max_field_bytes must not be negative", src.ID)
		}
		sourceIDs[src.ID] = true
	}
	chanIDs := map[string]bool{}
	for i, c := range w.Channels {
		switch {
		case c.ID == "" || chanIDs[c.ID]:
			fail("channels", i, "channel id %q missing or used twice", c.ID)
		case !channelTypes[c.Type]:
			fail("channels", i, "channel %q: type %q is not webhook, feishu, dingtalk, wecom, slack or email", c.ID, c.Type)
		case c.Type == "email":
			if msg := checkEmail(c); msg != "" {
				fail("channels", i, "channel %q: %s", c.ID, msg)
			}
		case c.URL == "" && c.URLEnv == "":
			fail("channels", i, "channel %q needs url or url_env", c.ID)
		}
		chanIDs[c.ID] = true
	}
	digestIDs := map[string]bool{}
	for i, d := range w.Digests {
		if d.ID == "" || digestIDs[d.ID] {
			fail("digests", i, "digest id %q missing or used twice", d.ID)
		} else if msg := checkDigest(d, chanIDs); msg != "" {
			fail("digests", i, "digest %q: %s", d.ID, msg)
		}
		digestIDs[d.ID] = true
	}
	if w.BaseURL != "" {
		if u, err := url.Parse(w.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Sprintf("base_url %q is not an http(s) address", w.BaseURL))
		}
	}
	ruleIDs := map[string]bool{}
	for i, r := range w.Rules {
		switch {
		case r.ID == "" || ruleIDs[r.ID]:
			fail("rules", i, "rule id %q missing or used twice", r.ID)
		case detect.SeriesRule(r.Detector):
			if !seriesIDs[r.Series] {
				fail("rules", i, "rule %q: detector %s needs a declared series, got %q", r.ID, r.Detector, r.Series)
			}
		case detect.ItemRule(r.Detector):
			if r.Series != "" {
				fail("rules", i, "rule %q: detector %s works on items, not on series %q", r.ID, r.Detector, r.Series)
			}
			if r.Entity != "" && !ids[r.Entity] {
				fail("rules", i, "rule %q: entity %q is not declared", r.ID, r.Entity)
			}
		default:
			fail("rules", i, "rule %q: unknown detector %q", r.ID, r.Detector)
		}
		if !severities[r.Severity] {
			fail("rules", i, "rule %q: severity %q is not low, medium, high or critical", r.ID, r.Severity)
		}
		for _, n := range r.Notify {
			if !chanIDs[n] {
				fail("rules", i, "rule %q: notify channel %q is not declared", r.ID, n)
			}
		}
		ruleIDs[r.ID] = true
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// checkEmail says what is wrong with an email channel, "" if nothing.
func checkEmail(c trustwatch.Channel) string {
	host, port, err := net.SplitHostPort(c.SMTP)
	switch {
	case c.SMTP == "" || err != nil || host == "" || port == "":
		return fmt.Sprintf("smtp %q must be host:port", c.SMTP)
	case c.URL != "" || c.URLEnv != "" || c.SecretEnv != "":
		return "an email channel takes smtp, from and to, not url, url_env or secret_env"
	case c.From == "":
		return "needs from"
	case len(c.To) == 0:
		return "needs to (a list of addresses)"
	case c.PasswordEnv != "" && c.UsernameEnv == "":
		return "password_env without username_env"
	case c.Insecure && !loopback(host):
		return "insecure_no_tls is allowed only for a loopback smtp server"
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Sprintf("from %q is not an e-mail address", c.From)
	}
	for _, to := range c.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return fmt.Sprintf("to %q is not an e-mail address", to)
		}
	}
	return ""
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkDigest says what is wrong with a digest, "" if nothing.
func checkDigest(d trustwatch.Digest, chanIDs map[string]bool) string {
	switch d.Every {
	case trustwatch.DigestDaily:
		if d.Weekday != "" {
			return "weekday is for weekly digests"
		}
	case trustwatch.DigestWeekly:
	default:
		return fmt.Sprintf("every %q is not daily or weekly", d.Every)
	}
	if _, _, _, err := d.Schedule(); err != nil {
		return err.Error()
	}
	if d.Format != "" && d.Format != "html" && d.Format != "markdown" {
		return fmt.Sprintf("format %q is not html or markdown", d.Format)
	}
	if len(d.Channels) == 0 {
		return "needs channels"
	}
	for _, c := range d.Channels {
		if !chanIDs[c] {
			return fmt.Sprintf("channel %q is not declared", c)
		}
	}
	return ""
}

// entryNode finds the YAML node of the i-th entry of a top-level section.
func entryNode(root *yaml.Node, name string, i int) *yaml.Node {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(m.Content); k += 2 {
		if m.Content[k].Value == name {
			seq := m.Content[k+1]
			if seq.Kind == yaml.SequenceNode && i < len(seq.Content) {
				return seq.Content[i]
			}
		}
	}
	return nil
}

// checkQuery says what is wrong with a topic's query, "" if nothing: a
// syntax error with its column, or a query that asks for a topic (which
// would make a topic's items depend on the order topics are matched in).
func checkQuery(s string, topicIDs map[string]bool) string {
	q, err := query.Parse(s, query.Options{})
	if err != nil {
		return err.Error()
	}
	if q.Uses("topic") {
		return "uses topic:, which a topic's query may not"
	}
	var other string
	eachField(q.Root, func(f *query.Field) {
		if f.Name == "entity" && topicIDs[f.Value] && other == "" {
			other = f.Value
		}
	})
	if other != "" {
		return fmt.Sprintf("asks for entity:%s, which is a topic; a topic's query may not use topics", other)
	}
	return ""
}

// eachField calls fn with every field comparison of a query.
func eachField(n query.Node, fn func(*query.Field)) {
	switch n := n.(type) {
	case *query.And:
		for _, c := range n.Nodes {
			eachField(c, fn)
		}
	case *query.Or:
		for _, c := range n.Nodes {
			eachField(c, fn)
		}
	case *query.Not:
		eachField(n.Node, fn)
	case *query.Field:
		fn(n)
	}
}
