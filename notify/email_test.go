package notify_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"trustwatch"
)

// smtpServer is a fake SMTP server speaking just enough of RFC 5321 and
// 3207 (STARTTLS) and 4954 (AUTH PLAIN) to receive one message at a time.
type smtpServer struct {
	addr     string
	tls      *tls.Config // nil: no STARTTLS offered
	roots    *x509.CertPool
	failMail []int // reply codes for MAIL FROM, one per connection; 250 after them

	mu       sync.Mutex
	conns    int
	from     string
	rcpt     []string
	data     string
	auth     string // the decoded AUTH PLAIN credentials
	authTLS  bool   // whether AUTH came over TLS
	dataTLS  bool
	commands []string
}

func newSMTPServer(t *testing.T, withTLS bool, failMail ...int) *smtpServer {
	s := &smtpServer{failMail: failMail}
	if withTLS {
		// httptest's certificate is valid for 127.0.0.1.
		hs := httptest.NewUnstartedServer(nil)
		hs.StartTLS()
		s.tls = &tls.Config{Certificates: hs.TLS.Certificates}
		s.roots = x509.NewCertPool()
		s.roots.AddCert(hs.Certificate())
		hs.Close()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s.addr = ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	s.mu.Lock()
	s.conns++
	n := s.conns
	s.mu.Unlock()
	r, w := bufio.NewReader(c), c
	reply := func(line string) { io.WriteString(w, line+"\r\n") }
	secure := false
	reply("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		s.mu.Lock()
		s.commands = append(s.commands, cmd)
		s.mu.Unlock()
		switch cmd {
		case "EHLO", "HELO":
			io.WriteString(w, "250-fake\r\n")
			if s.tls != nil && !secure {
				io.WriteString(w, "250-STARTTLS\r\n")
			}
			reply("250 AUTH PLAIN")
		case "STARTTLS":
			reply("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			r, w, secure = bufio.NewReader(tc), tc, true
		case "AUTH":
			f := strings.Fields(line)
			b, _ := base64.StdEncoding.DecodeString(f[len(f)-1])
			s.mu.Lock()
			s.auth, s.authTLS = string(b), secure
			s.mu.Unlock()
			reply("235 ok")
		case "MAIL":
			code := 250
			if n <= len(s.failMail) {
				code = s.failMail[n-1]
			}
			if code != 250 {
				reply(strconv.Itoa(code) + " try later")
				continue
			}
			s.mu.Lock()
			s.from, s.rcpt = line, nil
			s.mu.Unlock()
			reply("250 ok")
		case "RCPT":
			s.mu.Lock()
			s.rcpt = append(s.rcpt, line)
			s.mu.Unlock()
			reply("250 ok")
		case "DATA":
			reply("354 end with .")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			s.data, s.dataTLS = b.String(), secure
			s.mu.Unlock()
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown")
		}
	}
}

func emailChannel(addr string) trustwatch.Channel {
	return trustwatch.Channel{ID: "mail", Type: "email", SMTP: addr, From: "trustwatch <tw@example.com>",
		To: []string{"pr@example.com", "王芳 <wf@example.com>"}, UsernameEnv: "SMTP_USER", PasswordEnv: "SMTP_PASS"}
}

func TestEmail(t *testing.T) {
	srv := newSMTPServer(t, true)
	n, slept, logs := notifier(emailChannel(srv.addr), map[string]string{"SMTP_USER": "tw", "SMTP_PASS": "pw-PLANTED-1"})
	n.TLSConfig = &tls.Config{RootCAs: srv.roots}
	ds := n.Send(context.Background(), alert(), []string{"mail"})
	if len(ds) != 1 || ds[0].Err != nil || ds[0].Attempts != 1 || ds[0].Status != 250 || len(*slept) != 0 {
		t.Fatalf("deliveries %+v (err %v), slept %v", ds, ds[0].Err, *slept)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.auth != "\x00tw\x00pw-PLANTED-1" || !srv.authTLS || !srv.dataTLS {
		t.Errorf("auth %q over TLS %v, data over TLS %v; want the login after STARTTLS", srv.auth, srv.authTLS, srv.dataTLS)
	}
	if srv.from != "MAIL FROM:<tw@example.com>" || strings.Join(srv.rcpt, "|") != "RCPT TO:<pr@example.com>|RCPT TO:<wf@example.com>" {
		t.Errorf("envelope %q %q", srv.from, srv.rcpt)
	}
	msg, err := mail.ReadMessage(strings.NewReader(srv.data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "【trustwatch 高】mi.close metric.low" {
		t.Errorf("subject %q (raw %q), %v", subject, msg.Header.Get("Subject"), err)
	}
	if raw := msg.Header.Get("Subject"); !strings.HasPrefix(raw, "=?utf-8?q?") {
		t.Errorf("raw subject %q is not RFC 2047 encoded", raw)
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(fixedNow) {
		t.Errorf("Date %v, %v; want %v", d, err, fixedNow)
	}
	if id := msg.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.com>") {
		t.Errorf("Message-ID %q", id)
	}
	if to := msg.Header.Get("To"); to != "<pr@example.com>, =?utf-8?q?=E7=8E=8B=E8=8A=B3?= <wf@example.com>" {
		t.Errorf("To %q", to)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, %v", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // quoted-printable is decoded by the reader
		parts = append(parts, p.Header.Get("Content-Type")+"\n"+strings.ReplaceAll(string(b), "\r\n", "\n"))
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts; want text and html", len(parts))
	}
	if parts[0] != "text/plain; charset=utf-8\n"+wantText {
		t.Errorf("text part:\n%s\nwant:\n%s", parts[0], wantText)
	}
	if !strings.HasPrefix(parts[1], "text/html; charset=utf-8\n") || !strings.Contains(parts[1], "<h2>【trustwatch 高】mi.close metric.low</h2>") ||
		!strings.Contains(parts[1], "<th align=\"left\">告警 ID</th><td>a1</td>") {
		t.Errorf("html part:\n%s", parts[1])
	}
	if strings.Contains(logs.String(), "pw-PLANTED-1") {
		t.Errorf("the password is in the log:\n%s", logs)
	}
}

func TestEmailRetriesAndRefusals(t *testing.T) {
	tests := []struct {
		name      string
		tls       bool
		insecure  bool
		failMail  []int
		wantOK    bool
		attempts  int
		status    int
		wantInErr string
	}{
		{name: "451 then ok", tls: true, failMail: []int{451}, wantOK: true, attempts: 2, status: 250},
		{name: "550 is final", tls: true, failMail: []int{550, 550, 550}, attempts: 1, status: 550, wantInErr: "smtp 550"},
		{name: "no STARTTLS refused", tls: false, attempts: 1, wantInErr: "does not offer STARTTLS"},
		{name: "no STARTTLS allowed on loopback", tls: false, insecure: true, wantOK: true, attempts: 1, status: 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSMTPServer(t, tt.tls, tt.failMail...)
			ch := emailChannel(srv.addr)
			ch.Insecure = tt.insecure
			env := map[string]string{"SMTP_USER": "tw", "SMTP_PASS": "pw-PLANTED-2"}
			n, _, logs := notifier(ch, env)
			n.TLSConfig = &tls.Config{RootCAs: srv.roots}
			d := n.Send(context.Background(), alert(), []string{"mail"})[0]
			if d.OK() != tt.wantOK || d.Attempts != tt.attempts || d.Status != tt.status || len(d.Tries) != tt.attempts {
				t.Errorf("delivery %+v (err %v); want ok %v after %d attempts, status %d", d, d.Err, tt.wantOK, tt.attempts, tt.status)
			}
			if tt.wantInErr != "" && (d.Err == nil || !strings.Contains(d.Err.Error(), tt.wantInErr)) {
				t.Errorf("err %v; want it to say %q", d.Err, tt.wantInErr)
			}
			if d.Err != nil && strings.Contains(d.Err.Error(), "pw-PLANTED-2") || strings.Contains(logs.String(), "pw-PLANTED-2") {
				t.Errorf("the password leaked: %v\n%s", d.Err, logs)
			}
		})
	}
}

func TestEmailTimeout(t *testing.T) {
	// A server that accepts and never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	n, _, _ := notifier(emailChannel(ln.Addr().String()), map[string]string{"SMTP_USER": "u", "SMTP_PASS": "p"})
	n.SMTPTimeout, n.MaxAttempts = 100*time.Millisecond, 1
	start := time.Now()
	d := n.Send(context.Background(), alert(), []string{"mail"})[0]
	if d.OK() || time.Since(start) > 5*time.Second {
		t.Errorf("delivery %+v after %v; want a timeout failure", d, time.Since(start))
	}
}
