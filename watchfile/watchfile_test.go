package watchfile_test

import (
	"reflect"
	"strings"
	"testing"

	"trustwatch"
	"trustwatch/watchfile"
)

func TestParseExample(t *testing.T) {
	w, err := watchfile.Parse("example.yaml", strings.NewReader(watchfile.Example))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Entities) != 5 || w.Entity("y9").Parent != "yaochuan" || w.Entity("brake-safety").Kind != trustwatch.EntityTopic ||
		w.Entity("brake-safety").Query != `刹车 OR 刹停 OR "刹车失灵"` {
		t.Errorf("entities = %+v", w.Entities)
	}
	c := w.Claims[0]
	if got := c.Date.Format("2006-01-02 15:04 MST"); got != "2025-03-01 00:00 CST" {
		t.Errorf("claim date = %s", got)
	}
	if got := w.Rules[0].Lookback.D().Hours(); got != 180*24 {
		t.Errorf("lookback = %vh", got)
	}
	if w.Rules[1].Below == nil || *w.Rules[1].Below != -300000 {
		t.Errorf("below = %v", w.Rules[1].Below)
	}
}

func TestParseDigestsAndEmail(t *testing.T) {
	src := "entities: []\nbase_url: https://tw.example.com\nchannels:\n" +
		"  - {id: m, type: email, smtp: '127.0.0.1:25', from: tw@example.com, to: [pr@example.com], username_env: U, password_env: P, insecure_no_tls: true}\n" +
		"digests:\n  - {id: d, every: daily, at: '08:30', channels: [m]}\n  - {id: w, every: weekly, weekday: Fri, format: markdown, channels: [m]}\n"
	w, err := watchfile.Parse("w.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Digests) != 2 || w.Digests[1].Weekday != "Fri" || w.Channels[0].SMTP != "127.0.0.1:25" || !w.Channels[0].Insecure || w.BaseURL != "https://tw.example.com" {
		t.Errorf("parsed %+v %+v", w.Digests, w.Channels)
	}
}

func TestParseTopics(t *testing.T) {
	src := "entities:\n  - {id: yc, kind: brand, name: 曜川}\n  - {id: rival, kind: competitor, name: 对手汽车}\n" +
		"topics:\n  - {id: brakes, name: 刹车问题, query: '刹车 OR 刹停'}\n  - {id: rival-brakes, name: 对手刹车, query: 'entity:rival 刹车 sentiment:neg'}\n" +
		"rules:\n  - {id: r, entity: brakes, detector: volume.spike}\n"
	w, err := watchfile.Parse("w.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := trustwatch.Entity{ID: "brakes", Kind: trustwatch.EntityTopic, Name: "刹车问题", Query: "刹车 OR 刹停"}
	if len(w.Entities) != 4 || !reflect.DeepEqual(w.Entities[2], want) || w.Entities[3].Query != "entity:rival 刹车 sentiment:neg" {
		t.Errorf("entities = %+v, want the topic last as %+v", w.Entities, want)
	}
	if w.Entity("rival").Kind != trustwatch.EntityCompetitor {
		t.Errorf("rival = %+v", w.Entity("rival"))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key names line", "entities:\n  - id: a\n    kind: brand\n    name: A\n    alias: [x]\n", `line 5: unknown key "alias" (in an entity)`},
		{"unknown top-level key", "entities: []\nrulez: []\n", `line 2: unknown key "rulez" (in the top level)`},
		{"bad kind", "entities:\n  - {id: a, kind: company, name: A}\n", `line 2: entity "a": kind "company" is not brand, person, product or competitor`},
		{"dangling claim entity", "entities:\n  - {id: a, kind: brand, name: A}\nclaims:\n  - {id: c, entity: b, text: x, date: 2024-01-01}\n", `line 4: claim "c": entity "b" is not declared`},
		{"rule needs series", "entities: []\nrules:\n  - {id: r, detector: low, series: nope}\n", `line 3: rule "r": detector low needs a declared series`},
		{"unknown detector", "entities: []\nrules:\n  - {id: r, detector: magic}\n", `unknown detector "magic"`},
		{"item rule over a series", "entities: []\nseries:\n  - {id: s, kind: price}\nrules:\n  - {id: r, detector: volume.spike, series: s}\n", `line 5: rule "r": detector volume.spike works on items, not on series "s"`},
		{"a kind is not a series rule", "entities: []\nseries:\n  - {id: s, kind: price}\nrules:\n  - {id: r, detector: metric.low, series: s}\n", `unknown detector "metric.low"`},
		{"feed without url", "entities: []\nsources:\n  - {id: news, kind: feed}\n", `line 3: source "news": a feed source needs a url`},
		{"push without token", "entities: []\nsources:\n  - {id: crawler, kind: push}\n", `source "crawler": a push source needs token_env`},
		{"unknown source kind", "entities: []\nsources:\n  - {id: x, kind: ftp, path: /x}\n", `kind "ftp" is not dir, feed or push`},
		{"negative field limit", "entities: []\nsources:\n  - {id: x, path: a, max_field_bytes: -1}\n", `line 3: source "x": max_field_bytes must not be negative`},
		{"source used twice", "entities: []\nsources:\n  - {id: x, path: a}\n  - {id: x, path: b}\n", `line 4: source id "x" used twice`},
		{"bad duration", "entities: []\nseries: [{id: s}]\nrules:\n  - {id: r, series: s, detector: low, lookback: soon}\n", `invalid duration "soon"`},
		{"bad date", "entities:\n  - {id: a, kind: brand, name: A}\nclaims:\n  - {id: c, entity: a, text: x, date: 2024-13-01}\n", `invalid date "2024-13-01"`},
		{"notify unknown channel", "entities: []\nseries: [{id: s}]\nrules:\n  - {id: r, series: s, detector: low, notify: [x]}\n", `notify channel "x" is not declared`},
		{"email without smtp port", "entities: []\nchannels:\n  - {id: m, type: email, smtp: smtp.example.com, from: a@example.com, to: [b@example.com]}\n", `line 3: channel "m": smtp "smtp.example.com" must be host:port`},
		{"email without to", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com}\n", `line 3: channel "m": needs to`},
		{"email bad from", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: nobody, to: [b@example.com]}\n", `line 3: channel "m": from "nobody" is not an e-mail address`},
		{"email insecure off loopback", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:25', from: a@example.com, to: [b@example.com], insecure_no_tls: true}\n", `line 3: channel "m": insecure_no_tls is allowed only for a loopback smtp server`},
		{"email with url", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com], url_env: X}\n", `not url, url_env or secret_env`},
		{"digest bad every", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com]}\n" + "digests:\n  - {id: d, every: hourly, channels: [m]}\n", `line 5: digest "d": every "hourly" is not daily or weekly`},
		{"digest bad at", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com]}\n" + "digests:\n  - {id: d, every: daily, at: '25:00', channels: [m]}\n", `line 5: digest "d": at "25:00" is not a time like 08:30`},
		{"digest bad weekday", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com]}\n" + "digests:\n  - {id: d, every: weekly, weekday: monday, channels: [m]}\n", `line 5: digest "d": weekday "monday" is not mon`},
		{"digest unknown channel", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com]}\n" + "digests:\n  - {id: d, every: daily, channels: [m]}\n  - {id: w, every: weekly, channels: [x]}\n", `line 6: digest "w": channel "x" is not declared`},
		{"digest bad format", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com]}\n" + "digests:\n  - {id: d, every: daily, format: pdf, channels: [m]}\n", `format "pdf" is not html or markdown`},
		{"digest twice", "entities: []\nchannels:\n  - {id: m, type: email, smtp: 'smtp.example.com:587', from: a@example.com, to: [b@example.com]}\n" + "digests:\n  - {id: d, every: daily, channels: [m]}\n  - {id: d, every: weekly, channels: [m]}\n", `line 6: digest id "d" missing or used twice`},
		{"topic id taken by an entity", "entities:\n  - {id: a, kind: brand, name: A}\ntopics:\n  - {id: a, name: T, query: x}\n", `line 4: topic id "a" used twice (ids are shared by entities and topics)`},
		{"topic id twice", "entities: []\ntopics:\n  - {id: t, name: T, query: x}\n  - {id: t, name: U, query: y}\n", `line 4: topic id "t" used twice`},
		{"topic without query", "entities: []\ntopics:\n  - {id: t, name: T}\n", `line 3: topic "t" has no query`},
		{"topic without name", "entities: []\ntopics:\n  - {id: t, query: x}\n", `line 3: topic "t" has no name`},
		{"topic unknown key", "entities: []\ntopics:\n  - {id: t, name: T, query: x, aliases: [y]}\n", `line 3: unknown key "aliases" (in a topic)`},
		{"topic as an entity", "entities:\n  - {id: t, kind: topic, name: T, query: x}\n", `line 2: entity "t": a topic is declared under topics:`},
		{"query on an entity", "entities:\n  - {id: a, kind: brand, name: A, query: x}\n", `line 2: entity "a": only topics have a query`},
		{"claim on a topic", "entities: []\ntopics:\n  - {id: t, name: T, query: x}\nclaims:\n  - {id: c, entity: t, text: x, date: 2024-01-01}\n", `line 5: claim "c": entity "t" is a topic`},
		{"parent a topic", "entities:\n  - {id: a, kind: product, name: A, parent: t}\ntopics:\n  - {id: t, name: T, query: x}\n", `line 2: entity "a": parent "t" is a topic`},
		{"topic query syntax names the column", "entities: []\ntopics:\n  - {id: t, name: T, query: '刹车)'}\n", `line 3: topic "t": query column 3: unmatched )`},
		{"topic query bad field value", "entities: []\ntopics:\n  - {id: t, name: T, query: '刹车 sentiment:bad'}\n", `line 3: topic "t": query column 14: sentiment is pos, neg or neu`},
		{"topic query uses topic:", "entities: []\ntopics:\n  - {id: t, name: T, query: 'topic:u 刹车'}\n  - {id: u, name: U, query: x}\n", `line 3: topic "t": query uses topic:, which a topic's query may not`},
		{"topic query names a topic as entity", "entities: []\ntopics:\n  - {id: t, name: T, query: '刹车 -entity:u'}\n  - {id: u, name: U, query: x}\n", `line 3: topic "t": query asks for entity:u, which is a topic`},
		{"bad base_url", "entities: []\nbase_url: localhost:8080\n", `base_url "localhost:8080" is not an http(s) address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := watchfile.Parse("w.yaml", strings.NewReader(tt.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if trustwatch.ErrorCode(err) != trustwatch.EINVALID {
				t.Errorf("code = %s", trustwatch.ErrorCode(err))
			}
			if msg := trustwatch.ErrorMessage(err); !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "w.yaml: ") {
				t.Errorf("message = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}
