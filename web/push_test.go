package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"trustwatch"
)

// pushBody is canonical JSONL: two items and a line without a time.
const pushBody = `{"id":"w1","platform":"weibo","kind":"post","text":"曜川Y7刹车发软","time":"2024-04-01T08:00:00+08:00"}
{"id":"w2","platform":"weibo","kind":"comment","parent_id":"w1","text":"同样的问题","time":"2024-04-01 08:30"}
{"id":"w3","platform":"weibo","text":"没有时间"}
`

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

type pushAnswer struct {
	Read, Stored, Duplicates, Quarantined int
	Files                                 []struct{ Path, Format, Error string }
}

func TestPush(t *testing.T) {
	f := newAuthServer(t, authOptions{maxPushBytes: 64 << 10})
	ctx := context.Background()
	pushToken, _, _ := f.auth.AddToken(ctx, "crawler", "", "weibo")
	otherToken, _, _ := f.auth.AddToken(ctx, "other-crawler", "", "other")
	apiToken, _, _ := f.auth.AddToken(ctx, "admin-bot", trustwatch.RoleAdmin, "")
	weibo, err := os.ReadFile("testdata/weibocrawler_post.json")
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte(`{"id":"x","text":"填充","time":"2024-04-01"}`+"\n"), 2000) // 90 KB
	tests := []struct {
		name    string
		method  string
		query   string
		header  []string
		body    []byte
		want    int
		stored  int
		dups    int
		quar    int
		format  string
		errCode string
	}{
		{"env token", "POST", "source=weibo", []string{"Authorization", "Bearer " + envSecret, "Content-Type", "application/x-ndjson"}, []byte(pushBody), 200, 2, 0, 1, "items", ""},
		{"resend: duplicates", "POST", "source=weibo", []string{"Authorization", "Bearer " + envSecret}, []byte(pushBody), 200, 0, 2, 1, "items", ""},
		{"push token, gzip", "POST", "source=weibo", []string{"Authorization", "Bearer " + pushToken, "Content-Encoding", "gzip"},
			gz(t, []byte(strings.ReplaceAll(pushBody, `"w`, `"g`))), 200, 2, 0, 1, "items", ""},
		{"weibo-crawler post mode, as it sends it", "GET", "source=weibo", []string{"api-token", pushToken, "Content-Type", "application/json"}, weibo, 200, 3, 0, 0, "weibo-crawler", ""},
		{"source's format and map", "POST", "source=other", []string{"Authorization", "Bearer " + otherToken, "Content-Type", "text/csv"},
			[]byte("content,date\n服务太差,2024-04-01 10:00\n,2024-04-01 11:00\n"), 200, 1, 0, 1, "csv", ""},
		{"?format= wins", "POST", "source=other&format=items", []string{"Authorization", "Bearer " + otherToken}, []byte(strings.ReplaceAll(pushBody, `"w`, `"o`)), 200, 2, 0, 1, "items", ""},
		{"no token", "POST", "source=weibo", nil, []byte(pushBody), 401, 0, 0, 0, "", "unauthorized"},
		{"bad token", "POST", "source=weibo", []string{"Authorization", "Bearer nope"}, []byte(pushBody), 401, 0, 0, 0, "", "unauthorized"},
		{"another source's token", "POST", "source=weibo", []string{"Authorization", "Bearer " + otherToken}, []byte(pushBody), 401, 0, 0, 0, "", "unauthorized"},
		{"an API token is no push token", "POST", "source=weibo", []string{"Authorization", "Bearer " + apiToken}, []byte(pushBody), 401, 0, 0, 0, "", "unauthorized"},
		{"env token of another source", "POST", "source=other", []string{"Authorization", "Bearer " + envSecret}, []byte(pushBody), 401, 0, 0, 0, "", "unauthorized"},
		{"unknown source", "POST", "source=nope", []string{"Authorization", "Bearer " + envSecret}, []byte(pushBody), 404, 0, 0, 0, "", "not_found"},
		{"a dir source takes no push", "POST", "source=files", []string{"Authorization", "Bearer " + envSecret}, []byte(pushBody), 404, 0, 0, 0, "", "not_found"},
		{"oversized", "POST", "source=weibo", []string{"Authorization", "Bearer " + envSecret}, big, 413, 0, 0, 0, "", "too_large"},
		{"oversized once gunzipped", "POST", "source=weibo", []string{"Authorization", "Bearer " + envSecret, "Content-Encoding", "gzip"}, gz(t, big), 413, 0, 0, 0, "", "too_large"},
		{"broken gzip", "POST", "source=weibo", []string{"Authorization", "Bearer " + envSecret, "Content-Encoding", "gzip"}, []byte("not gzip"), 400, 0, 0, 0, "", "invalid"},
		{"unreadable format", "POST", "source=weibo", []string{"Authorization", "Bearer " + envSecret}, []byte("just some words\n"), 400, 0, 0, 0, "", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, f.ts)
			resp, body := b.do(tt.method, "/api/v1/ingest?"+tt.query, bytes.NewReader(tt.body), tt.header...)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tt.want, body)
			}
			if tt.errCode != "" {
				var e struct{ Code, Error string }
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code != tt.errCode {
					t.Errorf("error answer %s, want code %s", body, tt.errCode)
				}
				return
			}
			var a pushAnswer
			if err := json.Unmarshal([]byte(body), &a); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if a.Stored != tt.stored || a.Duplicates != tt.dups || a.Quarantined != tt.quar || a.Read != tt.stored+tt.dups+tt.quar {
				t.Errorf("answer %+v, want stored %d, duplicates %d, quarantined %d", a, tt.stored, tt.dups, tt.quar)
			}
			if len(a.Files) != 1 || a.Files[0].Format != tt.format || !strings.HasPrefix(a.Files[0].Path, "push:"+strings.Split(strings.TrimPrefix(tt.query, "source="), "&")[0]+"/") {
				t.Errorf("files = %+v, want one push:SOURCE/… read as %s", a.Files, tt.format)
			}
		})
	}

	// The weibo-crawler items are stored with the crawler's ids and times.
	it, err := f.db.ItemByID(ctx, "5100000000000001")
	if err != nil {
		t.Fatal(err)
	}
	if it.Platform != "weibo" || it.Author != "曜川车主小王" || it.Likes != 312 || it.Time.In(shanghai).Format("2006-01-02 15:04:05") != "2025-05-03 21:14:05" {
		t.Errorf("weibo-crawler item = %+v", it)
	}
	// Quarantine records name the source and the request.
	qs, _, err := f.db.FindQuarantine(ctx, trustwatch.QuarantineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if !strings.HasPrefix(q.File, "push:") {
			t.Errorf("quarantine file %q does not name a push", q.File)
		}
	}
	// Every authorised push with a readable body is a round; refusals are not.
	var got []string
	for _, r := range f.rounds.list() {
		got = append(got, fmt.Sprintf("%s:%s:%d/%d/%d/%d:%v", r.Source, r.Kind, r.Read, r.Stored, r.Duplicates, r.Quarantined, r.Err != ""))
	}
	want := []string{"weibo:push:3/2/0/1:false", "weibo:push:3/0/2/1:false", "weibo:push:3/2/0/1:false", "weibo:push:3/3/0/0:false",
		"other:push:2/1/0/1:false", "other:push:3/2/0/1:false", "weibo:push:0/0/0/0:true"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rounds:\n%s\nwant\n%s", strings.Join(got, " "), strings.Join(want, " "))
	}
}

// TestPushGETWithoutBody: GET is taken for weibo-crawler's sake, with a body only.
func TestPushGETWithoutBody(t *testing.T) {
	f := newAuthServer(t, authOptions{})
	b := newBrowser(t, f.ts)
	resp, _ := b.do("GET", "/api/v1/ingest?source=weibo", nil, "Authorization", "Bearer "+envSecret)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET without a body: %d, want 400", resp.StatusCode)
	}
}
