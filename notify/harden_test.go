package notify_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/notify"
)

// A receiver that accepts the connection and never answers must not hold
// the caller: each try ends at Timeout and the delivery fails, named.
func TestHangingReceiverTimesOut(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	n, slept, _ := notifier(trustwatch.Channel{ID: "ops", Type: "webhook", URL: srv.URL}, nil)
	n.Timeout = 100 * time.Millisecond
	n.MaxAttempts = 2

	done := make(chan trustwatch.Delivery, 1)
	go func() { done <- n.Send(context.Background(), alert(), []string{"ops"})[0] }()
	var d trustwatch.Delivery
	select {
	case d = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Send still waiting for a receiver that never answers")
	}
	if d.OK() || d.Attempts != 2 || hits.Load() != 2 || len(*slept) != 1 {
		t.Fatalf("delivery %+v after %d requests, slept %v; want 2 failed tries", d, hits.Load(), *slept)
	}
	if !strings.Contains(d.Err.Error(), "no reply within the timeout") {
		t.Errorf("err %v, want it to say the receiver did not answer in time", d.Err)
	}
}

// Cancelling the context ends the wait between tries at once, however long
// the backoff.
func TestRetryWaitIsCancellable(t *testing.T) {
	srv := newServer(t, reply{503, "", nil})
	n, _, _ := notifier(trustwatch.Channel{ID: "ops", Type: "webhook", URL: srv.URL}, nil)
	n.Sleep = nil // the real wait
	n.Backoff = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	done := make(chan trustwatch.Delivery, 1)
	go func() { done <- n.Send(ctx, alert(), []string{"ops"})[0] }()
	select {
	case d := <-done:
		if d.OK() || d.Attempts != 1 || !strings.Contains(d.Err.Error(), "context canceled") {
			t.Errorf("got %+v (%v), want one failed try that says the wait was cancelled", d, d.Err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the wait before a retry ignored the cancelled context")
	}
}

// A redirect is not followed: the signed body and the URL's token stay
// with the configured host.
func TestRedirectRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	srv := newServer(t, reply{http.StatusTemporaryRedirect, "", map[string]string{"Location": other.URL + "/steal"}})
	n, _, _ := notifier(trustwatch.Channel{ID: "ops", Type: "webhook", URL: srv.URL + "/hook?access_token=" + token}, nil)
	d := n.Send(context.Background(), alert(), []string{"ops"})[0]
	if d.OK() || d.Attempts != 1 || elsewhere.Load() != 0 {
		t.Fatalf("delivery %+v, %d requests at the redirect target; want one refused try and none there", d, elsewhere.Load())
	}
	if !strings.Contains(d.Err.Error(), "redirect refused (HTTP 307)") {
		t.Errorf("err %v", d.Err)
	}
}

// A receiver that echoes what it got (token and all) into its reply must
// not get it into the log or the error.
func TestReplyBodyNeverLogged(t *testing.T) {
	for _, typ := range []string{"webhook", "dingtalk", "feishu", "wecom", "slack"} {
		t.Run(typ, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				status := http.StatusBadRequest
				if typ != "webhook" && typ != "slack" {
					status = http.StatusOK // the bots answer 200 with an error code
				}
				w.WriteHeader(status)
				io.WriteString(w, `{"code":19021,"errcode":310000,"msg":"echo `+r.URL.String()+`","errmsg":"echo `+r.URL.String()+` `+string(b)+`"}`)
			}))
			defer srv.Close()
			n, _, logs := notifier(trustwatch.Channel{ID: "ops", Type: typ, URL: srv.URL + "/hook?access_token=" + token}, nil)
			d := n.Send(context.Background(), alert(), []string{"ops"})[0]
			if d.OK() {
				t.Fatalf("delivered: %+v", d)
			}
			for _, leak := range []string{token, "echo"} {
				if strings.Contains(logs.String(), leak) || strings.Contains(d.Err.Error(), leak) {
					t.Errorf("%q reached the log or the error:\n%v\n%s", leak, d.Err, logs)
				}
			}
		})
	}
}

// Each channel has its own client, so a channel whose receiver hangs
// holds only its own connections: two channels to one host open two
// connections, and a channel's second delivery reuses its first one.
func TestClientPerChannel(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	n := &notify.Notifier{Channels: []trustwatch.Channel{
		{ID: "a", Type: "webhook", URL: srv.URL}, {ID: "b", Type: "webhook", URL: srv.URL},
	}}
	for _, d := range n.Send(context.Background(), alert(), []string{"a", "b", "a", "b"}) {
		if !d.OK() {
			t.Fatalf("%+v", d)
		}
	}
	if got := conns.Load(); got != 2 {
		t.Errorf("%d connections for two channels, want 2 (one each, reused)", got)
	}
}
