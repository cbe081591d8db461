package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"trustwatch"
)

// Channel types.
const (
	TypeWebhook  = "webhook"
	TypeFeishu   = "feishu"
	TypeLark     = "lark" // Feishu's international edition: same API
	TypeDingTalk = "dingtalk"
	TypeWeCom    = "wecom"
	TypeSlack    = "slack"
	TypeEmail    = "email"
)

// Webhook signature headers.
const (
	HeaderTimestamp = "X-Trustwatch-Timestamp"
	HeaderSignature = "X-Trustwatch-Signature"
)

// Defaults.
const (
	DefaultMaxAttempts    = 3
	DefaultBackoff        = time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 15 * time.Second
	maxRetryAfter         = time.Minute
	maxResponseBody       = 64 << 10
)

// Notifier sends alerts to the channels of the watch file.
type Notifier struct {
	Channels []trustwatch.Channel
	// Transport carries the requests (a fresh transport per channel when
	// nil); tests give their own.
	Transport http.RoundTripper
	Getenv    func(string) string // os.Getenv in production
	// Sleep waits between tries and returns early with ctx's error when ctx
	// ends (a timer when nil); tests pass a recorder.
	Sleep    func(ctx context.Context, d time.Duration) error
	Now      func() time.Time // time.Now when nil; the signing timestamp
	Log      *slog.Logger     // slog.Default() when nil
	Location *time.Location   // for times in messages; Asia/Shanghai when nil
	// MaxAttempts bounds the tries per channel (3 when ≤ 0); the wait
	// before try n+1 is Backoff·2^(n−1) (1s when ≤ 0), or the server's
	// Retry-After when longer (at most a minute).
	MaxAttempts int
	Backoff     time.Duration
	// TLSConfig is the base of STARTTLS's configuration (the system's
	// roots and TLS 1.2 or later when nil); tests give their own roots.
	TLSConfig *tls.Config
	// SMTPTimeout bounds one SMTP conversation (30s when zero).
	SMTPTimeout time.Duration
	// ConnectTimeout bounds connecting to a channel (TCP and TLS, 5s when
	// zero); Timeout bounds one request from dialling to the end of the
	// reply (15s when zero). A receiver that never answers costs at most
	// MaxAttempts·Timeout plus the waits between tries.
	ConnectTimeout, Timeout time.Duration

	mu      sync.Mutex
	clients map[string]*http.Client
}

// Error is a failed delivery. Its message names the channel, the attempts
// and the last status, never the URL or the secret.
type Error struct {
	Channel  string
	Type     string
	Attempts int
	Status   int
	Reason   string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("notify: channel %s (%s): failed after %d attempt(s)", e.Channel, e.Type, e.Attempts)
	if e.Status != 0 {
		s += ": status " + strconv.Itoa(e.Status)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Send delivers the alert to each of the named channels, in order, and
// returns one Delivery per id. Failures are logged and returned, never
// dropped.
func (n *Notifier) Send(ctx context.Context, a trustwatch.Alert, channelIDs []string) []trustwatch.Delivery {
	out := make([]trustwatch.Delivery, 0, len(channelIDs))
	for _, id := range channelIDs {
		d := n.send(ctx, a, id)
		switch {
		case d.Err != nil:
			n.log().Error("notify: delivery failed", "alert", a.ID, "channel", d.Channel, "type", d.Type, "attempts", d.Attempts, "status", d.Status, "err", d.Err)
		case d.Skipped != "":
			n.log().Info("notify: skipped", "alert", a.ID, "channel", d.Channel, "reason", d.Skipped)
		default:
			n.log().Info("notify: delivered", "alert", a.ID, "channel", d.Channel, "type", d.Type, "attempts", d.Attempts, "status", d.Status)
		}
		out = append(out, d)
	}
	return out
}

func (n *Notifier) log() *slog.Logger {
	if n.Log != nil {
		return n.Log
	}
	return slog.Default()
}

func (n *Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

func (n *Notifier) getenv(k string) string {
	if n.Getenv == nil {
		return ""
	}
	return n.Getenv(k)
}

func (n *Notifier) send(ctx context.Context, a trustwatch.Alert, id string) trustwatch.Delivery {
	return n.deliver(ctx, id, a.Severity, n.alertContent(a))
}

// content is what to say, in every form a channel may want.
type content struct {
	title, text, markdown, html string
	// webhook is the generic webhook's JSON body.
	webhook any
}

func (n *Notifier) alertContent(a trustwatch.Alert) content {
	return content{
		title: n.Title(a), text: n.Text(a), markdown: n.Markdown(a), html: n.HTML(a),
		webhook: struct {
			Type  string           `json:"type"`
			Text  string           `json:"text"`
			Alert trustwatch.Alert `json:"alert"`
		}{"trustwatch.alert", n.Text(a), a},
	}
}

// Message is something other than an alert to deliver, such as a digest.
type Message struct {
	// Kind is the generic webhook body's type, e.g. trustwatch.digest.
	Kind string
	// Title is the e-mail subject and the bots' markdown title; Text the
	// plain text (Slack, Feishu, the webhook, the e-mail's text part);
	// Markdown goes to DingTalk and WeCom (Text when empty); HTML, when
	// set, is the e-mail's HTML part.
	Title, Text, Markdown, HTML string
}

// SendMessage delivers m to each of the named channels, like Send; a
// channel's min_severity does not apply.
func (n *Notifier) SendMessage(ctx context.Context, m Message, channelIDs []string) []trustwatch.Delivery {
	c := content{title: m.Title, text: m.Text, markdown: cmp.Or(m.Markdown, m.Text), html: m.HTML,
		webhook: map[string]string{"type": m.Kind, "title": m.Title, "text": m.Text}}
	out := make([]trustwatch.Delivery, 0, len(channelIDs))
	for _, id := range channelIDs {
		d := n.deliver(ctx, id, "", c)
		if d.Err != nil {
			n.log().Error("notify: delivery failed", "message", m.Kind, "channel", d.Channel, "type", d.Type, "attempts", d.Attempts, "status", d.Status, "err", d.Err)
		} else {
			n.log().Info("notify: delivered", "message", m.Kind, "channel", d.Channel, "type", d.Type, "attempts", d.Attempts)
		}
		out = append(out, d)
	}
	return out
}

// Channel returns the channel with the given id, or nil.
func (n *Notifier) Channel(id string) *trustwatch.Channel {
	i := slices.IndexFunc(n.Channels, func(c trustwatch.Channel) bool { return c.ID == id })
	if i < 0 {
		return nil
	}
	return &n.Channels[i]
}

// deliver sends c to channel id; severity, when set, is checked against
// the channel's min_severity.
func (n *Notifier) deliver(ctx context.Context, id, severity string, c content) trustwatch.Delivery {
	chp := n.Channel(id)
	if chp == nil {
		return trustwatch.Delivery{Channel: id, Err: &Error{Channel: id, Type: "?", Reason: "no such channel in the watch file"}}
	}
	ch := *chp
	d := trustwatch.Delivery{Channel: ch.ID, Type: ch.Type}
	fail := func(reason string) trustwatch.Delivery {
		d.Err = &Error{Channel: ch.ID, Type: ch.Type, Attempts: d.Attempts, Status: d.Status, Reason: reason}
		return d
	}
	if severity != "" && ch.MinSeverity != "" && trustwatch.SeverityRank(severity) < trustwatch.SeverityRank(ch.MinSeverity) {
		d.Skipped = fmt.Sprintf("severity %s below min_severity %s", severity, ch.MinSeverity)
		return d
	}
	if ch.Type == TypeEmail {
		return n.mail(ctx, d, ch, c)
	}
	rawURL := ch.URL
	if ch.URLEnv != "" {
		rawURL = n.getenv(ch.URLEnv)
		if rawURL == "" {
			return fail("environment variable " + ch.URLEnv + " (url_env) is empty")
		}
	}
	if rawURL == "" {
		return fail("no url or url_env")
	}
	var secret string
	if ch.SecretEnv != "" {
		if secret = n.getenv(ch.SecretEnv); secret == "" {
			return fail("environment variable " + ch.SecretEnv + " (secret_env) is empty")
		}
	}
	msg, err := n.build(ch.Type, c, rawURL, secret)
	if err != nil {
		return fail(err.Error())
	}
	return n.post(ctx, d, msg)
}

// message is a built request: where to send it, what, and how to judge the reply.
type message struct {
	url    string
	body   []byte
	header http.Header
	check  func(status int, body []byte) (reason string, retry bool)
}

func (n *Notifier) build(typ string, c content, rawURL, secret string) (message, error) {
	now := n.now()
	text := c.text
	m := message{url: rawURL, header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}
	var body any
	switch typ {
	case TypeWebhook:
		body = c.webhook
		m.check = checkStatus
	case TypeFeishu, TypeLark:
		fb := feishuBody{MsgType: "text"}
		fb.Content.Text = text
		if secret != "" {
			fb.Timestamp = strconv.FormatInt(now.Unix(), 10)
			fb.Sign = FeishuSign(fb.Timestamp, secret)
		}
		body = fb
		m.check = checkFeishu
	case TypeDingTalk:
		if secret != "" {
			u, err := url.Parse(rawURL)
			if err != nil {
				return m, errors.New("invalid url")
			}
			ts := strconv.FormatInt(now.UnixMilli(), 10)
			q := u.Query()
			q.Set("timestamp", ts)
			q.Set("sign", DingTalkSign(ts, secret))
			u.RawQuery = q.Encode()
			m.url = u.String()
		}
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": c.title, "text": c.markdown}}
		m.check = checkErrcode(130101, 660026) // send too fast; rate limited
	case TypeWeCom:
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": c.markdown}}
		m.check = checkErrcode(45009, 45033) // api freq out of limit
	case TypeSlack:
		body = map[string]string{"text": text}
		m.check = checkSlack
	default:
		return m, fmt.Errorf("unknown channel type %q (want webhook, feishu, lark, dingtalk, wecom, slack or email)", typ)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return m, fmt.Errorf("encoding the message: %v", err)
	}
	m.body = b
	if typ == TypeWebhook {
		ts := strconv.FormatInt(now.Unix(), 10)
		m.header.Set(HeaderTimestamp, ts)
		if secret != "" {
			m.header.Set(HeaderSignature, WebhookSignature(ts, b, secret))
		}
	}
	return m, nil
}

type feishuBody struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Content   struct {
		Text string `json:"text"`
	} `json:"content"`
}

// FeishuSign is the Feishu/Lark custom bot signature: base64 of
// HMAC-SHA256 keyed with timestamp+"\n"+secret over an empty message.
func FeishuSign(timestamp, secret string) string {
	h := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// DingTalkSign is the DingTalk custom bot signature: base64 of HMAC-SHA256
// keyed with the secret over timestamp+"\n"+secret (timestamp in ms). It is
// sent url-encoded as the sign query parameter.
func DingTalkSign(timestampMillis, secret string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestampMillis + "\n" + secret))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// WebhookSignature is the generic webhook's X-Trustwatch-Signature:
// "sha256=" + hex HMAC-SHA256 keyed with the secret over timestamp + "." +
// body. A receiver recomputes it and rejects stale timestamps.
func WebhookSignature(timestamp string, body []byte, secret string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestamp + "."))
	h.Write(body)
	return "sha256=" + hex.EncodeToString(h.Sum(nil))
}

func (n *Notifier) post(ctx context.Context, d trustwatch.Delivery, m message) trustwatch.Delivery {
	client := n.client(d.Channel)
	return n.retry(ctx, d, func() (int, string, bool, time.Duration) { return n.try(ctx, client, m) })
}

// client returns the channel's own HTTP client, so that a receiver that
// hangs holds only its own connections. It follows no redirect: a bot URL
// carries its token, and a redirect would hand the signed body to another
// host.
func (n *Notifier) client(channel string) *http.Client {
	n.mu.Lock()
	defer n.mu.Unlock()
	if c := n.clients[channel]; c != nil {
		return c
	}
	rt := n.Transport
	if rt == nil {
		connect := cmp.Or(n.ConnectTimeout, DefaultConnectTimeout)
		rt = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   connect,
			ResponseHeaderTimeout: cmp.Or(n.Timeout, DefaultTimeout),
			MaxIdleConns:          2,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		}
	}
	c := &http.Client{
		Transport:     rt,
		Timeout:       cmp.Or(n.Timeout, DefaultTimeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if n.clients == nil {
		n.clients = map[string]*http.Client{}
	}
	n.clients[channel] = c
	return c
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retry calls try until it succeeds, says retrying cannot help, or the
// attempts are used up, waiting between tries; every try is recorded in
// d.Tries.
func (n *Notifier) retry(ctx context.Context, d trustwatch.Delivery, try func() (status int, reason string, retry bool, wait time.Duration)) trustwatch.Delivery {
	attempts := n.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	backoff := cmp.Or(n.Backoff, DefaultBackoff)
	sleep := n.Sleep
	if sleep == nil {
		sleep = sleepContext
	}
	var reason string
	for d.Attempts < attempts {
		if err := ctx.Err(); err != nil {
			reason = err.Error()
			break
		}
		d.Attempts++
		var retry bool
		var wait time.Duration
		at := n.now()
		d.Status, reason, retry, wait = try()
		d.Tries = append(d.Tries, trustwatch.Attempt{N: d.Attempts, Time: at, Status: d.Status, Error: reason})
		if reason == "" {
			return d
		}
		if !retry || d.Attempts == attempts {
			break
		}
		delay := backoff << (d.Attempts - 1)
		if wait > delay {
			delay = min(wait, maxRetryAfter)
		}
		n.log().Warn("notify: retrying", "channel", d.Channel, "attempt", d.Attempts, "status", d.Status, "reason", reason, "wait", delay)
		if err := sleep(ctx, delay); err != nil {
			reason += "; gave up waiting to retry: " + err.Error()
			break
		}
	}
	d.Err = &Error{Channel: d.Channel, Type: d.Type, Attempts: d.Attempts, Status: d.Status, Reason: reason}
	return d
}

// try makes one request. It returns the status, why it failed ("" when it
// did not), whether trying again may help and the server's Retry-After.
func (n *Notifier) try(ctx context.Context, client *http.Client, m message) (status int, reason string, retry bool, wait time.Duration) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(m.body))
	if err != nil {
		return 0, "invalid url", false, 0
	}
	req.Header = m.header.Clone()
	resp, err := client.Do(req)
	if err != nil {
		// The *url.Error names the URL, which holds the bot's token.
		var ue *url.Error
		if errors.As(err, &ue) {
			if ue.Timeout() {
				return 0, "no reply within the timeout", true, 0
			}
			err = ue.Err
		}
		return 0, err.Error(), true, 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if s := resp.Header.Get("Retry-After"); s != "" {
		if secs, err := strconv.Atoi(s); err == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		}
	}
	reason, retry = m.check(resp.StatusCode, body)
	return resp.StatusCode, reason, retry, wait
}

// checkStatus accepts any 2xx; 5xx, 429 and 408 may pass on retry; a
// redirect is refused. The reply's body never goes into the reason: a
// receiver may echo the request, token and all, and reasons are logged.
func checkStatus(status int, _ []byte) (string, bool) {
	switch {
	case status >= 200 && status < 300:
		return "", false
	case status >= 300 && status < 400:
		return fmt.Sprintf("redirect refused (HTTP %d): point the channel at the final URL", status), false
	}
	return strings.TrimSpace(fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))), status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout
}

// checkFeishu: Feishu answers 200 with a code; 0 is success (older bots
// answer StatusCode 0). 9499 and 11232 are its rate limits.
func checkFeishu(status int, body []byte) (string, bool) {
	if reason, retry := checkStatus(status, body); reason != "" {
		return reason, retry
	}
	var r struct {
		Code       *int `json:"code"`
		StatusCode *int `json:"StatusCode"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return "unreadable reply", false
	}
	code := r.Code
	if code == nil {
		code = r.StatusCode
	}
	if code == nil || *code == 0 {
		return "", false
	}
	return codeReason("code", *code), *code == 9499 || *code == 11232
}

// checkErrcode: DingTalk and WeCom answer 200 with errcode; 0 is success.
func checkErrcode(retryable ...int) func(int, []byte) (string, bool) {
	return func(status int, body []byte) (string, bool) {
		if reason, retry := checkStatus(status, body); reason != "" {
			return reason, retry
		}
		var r struct {
			Errcode int `json:"errcode"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			return "unreadable reply", false
		}
		if r.Errcode == 0 {
			return "", false
		}
		return codeReason("errcode", r.Errcode), slices.Contains(retryable, r.Errcode)
	}
}

// checkSlack: Slack answers 200 "ok", and errors as 4xx with a short text
// (invalid_payload, no_service ...); 429 with Retry-After when rate limited.
func checkSlack(status int, body []byte) (string, bool) {
	return checkStatus(status, body)
}

// knownCodes say in our words what the bots' commonest error codes mean:
// their own messages come in the reply body, which is never logged.
var knownCodes = map[int]string{
	// Feishu/Lark
	9499:  "rate limited",
	11232: "rate limited",
	19021: "signature rejected (check secret_env and the clock)",
	19022: "IP address not allowed by the bot's security settings",
	19024: "keyword missing from the message (the bot's security settings)",
	// DingTalk
	300001: "invalid access token",
	310000: "rejected by the bot's security settings (keyword, signature or IP address)",
	130101: "rate limited",
	660026: "rate limited",
	// WeCom
	93000: "invalid webhook URL",
	45009: "rate limited",
	45033: "rate limited",
}

func codeReason(field string, code int) string {
	if m, ok := knownCodes[code]; ok {
		return fmt.Sprintf("%s %d: %s", field, code, m)
	}
	return fmt.Sprintf("%s %d (see the service's list of error codes)", field, code)
}
