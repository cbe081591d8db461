package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"trustwatch"
)

// DefaultSMTPTimeout bounds one SMTP conversation, from dialling to QUIT.
const DefaultSMTPTimeout = 30 * time.Second

// mail sends c as an e-mail through the channel's SMTP server, with the
// same retries as the HTTP channels: network errors and 4xx replies are
// retried, 5xx replies and a server without STARTTLS are not.
func (n *Notifier) mail(ctx context.Context, d trustwatch.Delivery, ch trustwatch.Channel, c content) trustwatch.Delivery {
	fail := func(reason string) trustwatch.Delivery {
		d.Err = &Error{Channel: ch.ID, Type: ch.Type, Reason: reason}
		return d
	}
	host, _, err := net.SplitHostPort(ch.SMTP)
	if err != nil {
		return fail("smtp must be host:port")
	}
	from, err := mail.ParseAddress(ch.From)
	if err != nil {
		return fail("invalid from address")
	}
	var to []*mail.Address
	for _, s := range ch.To {
		a, err := mail.ParseAddress(s)
		if err != nil {
			return fail(fmt.Sprintf("invalid to address %q", s))
		}
		to = append(to, a)
	}
	if len(to) == 0 {
		return fail("no to address")
	}
	var user, pass string
	if ch.UsernameEnv != "" {
		if user = n.getenv(ch.UsernameEnv); user == "" {
			return fail("environment variable " + ch.UsernameEnv + " (username_env) is empty")
		}
		if ch.PasswordEnv != "" {
			if pass = n.getenv(ch.PasswordEnv); pass == "" {
				return fail("environment variable " + ch.PasswordEnv + " (password_env) is empty")
			}
		}
	}
	msg, err := n.Email(from, to, c.title, c.text, c.html)
	if err != nil {
		return fail(err.Error())
	}
	s := smtpSend{addr: ch.SMTP, host: host, from: from.Address, msg: msg, user: user, pass: pass,
		insecure: ch.Insecure, tls: n.TLSConfig, timeout: cmp.Or(n.SMTPTimeout, DefaultSMTPTimeout)}
	for _, a := range to {
		s.to = append(s.to, a.Address)
	}
	return n.retry(ctx, d, func() (int, string, bool, time.Duration) {
		code, reason, retry := s.once(ctx)
		return code, reason, retry, 0
	})
}

// Email builds the RFC 5322 message: UTF-8 subject encoded per RFC 2047, a
// Date and a Message-ID, and a text part (with an HTML alternative when
// html is set), both quoted-printable.
func (n *Notifier) Email(from *mail.Address, to []*mail.Address, subject, text, html string) ([]byte, error) {
	var b bytes.Buffer
	rcpt := make([]string, len(to))
	for i, a := range to {
		rcpt[i] = a.String()
	}
	// A CR or LF in the subject would start a header of its own.
	subject = strings.Join(strings.Fields(subject), " ")
	id := make([]byte, 12)
	rand.Read(id)
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	hdr := [][2]string{
		{"From", from.String()},
		{"To", strings.Join(rcpt, ", ")},
		{"Subject", mime.QEncoding.Encode("utf-8", subject)},
		{"Date", n.now().Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
	}
	for _, h := range hdr {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	if html == "" {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		if err := writeQP(&b, text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=%q\r\n\r\n", mw.Boundary())
	for _, p := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", html}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, p.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
		return err
	}
	return qp.Close()
}

// smtpSend is one message to send through one server.
type smtpSend struct {
	addr, host string
	from       string
	to         []string
	msg        []byte
	user, pass string
	insecure   bool
	tls        *tls.Config
	timeout    time.Duration
}

// once holds one SMTP conversation. It returns the server's last reply
// code, why it failed ("" when it did not) and whether trying again may
// help. Reasons never hold the password.
func (s *smtpSend) once(ctx context.Context) (code int, reason string, retry bool) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return 0, err.Error(), true
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// A cancelled context ends the conversation at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return smtpResult(err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return smtpResult(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if s.tls != nil {
			cfg = s.tls.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = s.host
		}
		if err := c.StartTLS(cfg); err != nil {
			return smtpResult(err)
		}
	} else if !s.insecure {
		return 0, "the server does not offer STARTTLS (set insecure_no_tls only for a loopback server)", false
	}
	if s.user != "" {
		// PlainAuth itself refuses to send the password unencrypted to
		// anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return smtpResult(err)
		}
	}
	if err := c.Mail(s.from); err != nil {
		return smtpResult(err)
	}
	for _, r := range s.to {
		if err := c.Rcpt(r); err != nil {
			return smtpResult(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpResult(err)
	}
	if _, err := w.Write(s.msg); err != nil {
		return smtpResult(err)
	}
	if err := w.Close(); err != nil {
		return smtpResult(err)
	}
	c.Quit()
	return 250, "", false
}

// smtpResult reads an SMTP error: a 4xx reply is transient, a 5xx one is
// not; anything else (the network, TLS) may pass on retry.
func smtpResult(err error) (int, string, bool) {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code, fmt.Sprintf("smtp %d %s", te.Code, te.Msg), te.Code >= 400 && te.Code < 500
	}
	return 0, err.Error(), true
}
