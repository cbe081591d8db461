package web

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"trustwatch"
)

// pushPath is where push sources POST their items.
const pushPath = "/api/v1/ingest"

// DefaultMaxPushBytes bounds a pushed body, after decompression, when
// Server.MaxPushBytes is zero.
const DefaultMaxPushBytes = 32 << 20

// Push is one body pushed to /api/v1/ingest?source=ID, for Server.Ingest.
type Push struct {
	Source trustwatch.Source // the watch file's push source
	// Name names the body where quarantine records name a file:
	// push:SOURCE/REQUEST.EXT; its extension hints the format to the
	// readers (.jsonl, .json, .csv).
	Name   string
	Format string            // a reader format, or "auto"
	Map    map[string]string // the column map, for csv
	Body   io.Reader         // decompressed, complete (it was under the limit)
}

// PushResult is what Server.Ingest did with a body: the counts of the
// round, and Summary, the JSON answered (cmd answers what `trustwatch
// ingest --json` prints).
type PushResult struct {
	Read, Stored, Duplicates, Quarantined, Failed int
	Summary                                       any
}

// IngestFunc reads a pushed body into the store the way `trustwatch
// ingest` reads a file: same readers, analysis and quarantine. A body
// whose format cannot be read is an EINVALID error.
type IngestFunc func(ctx context.Context, p Push) (PushResult, error)

// handlePush is POST /api/v1/ingest?source=ID[&format=F]: a push source's
// items, authorised by the source's token (Authorization: Bearer, or the
// api-token header weibo-crawler sends). The body is canonical JSONL or
// any reader's format, gzip-compressed with Content-Encoding: gzip if the
// client likes. It is read whole, up to the limit, before anything is
// stored, so a body that is too large (413) stores nothing.
//
// weibo-crawler's post mode sends its JSON ({"user": …, "weibo": […]})
// with GET and waits for a 200; GET with a body is therefore taken too.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ctx := r.Context()
	if s.Ingest == nil || s.Auth == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "This server takes no pushed items."))
		return
	}
	q := r.URL.Query()
	id := q.Get("source")
	src := pushSource(s.Watch, id)
	if src == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "No push source %q in the watch file.", id))
		return
	}
	secret, _ := bearer(r)
	if secret == "" {
		secret = strings.TrimSpace(r.Header.Get("Api-Token"))
	}
	p, err := s.Auth.Push(ctx, id, secret)
	if err != nil {
		s.Logger.Warn("web: push refused", "source", id, "remote", r.RemoteAddr)
		s.error(w, r, err)
		return
	}
	body, err := s.readPush(w, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.Method == http.MethodGet && len(body) == 0 {
		s.error(w, r, trustwatch.Errorf(trustwatch.EINVALID, "Send items in the body (POST)."))
		return
	}
	format := cmp.Or(q.Get("format"), formatOf(r.Header.Get("Content-Type")), src.Format, "auto")
	req := newRequestID()
	push := Push{Source: *src, Name: "push:" + id + "/" + req + extOf(r.Header.Get("Content-Type")),
		Format: format, Map: src.Map, Body: bytes.NewReader(body)}
	res, err := s.Ingest(ctx, push)
	round := trustwatch.SourceRound{Source: id, Kind: trustwatch.SourcePush, Started: start, Duration: time.Since(start),
		Read: res.Read, Stored: res.Stored, Duplicates: res.Duplicates, Quarantined: res.Quarantined}
	if err != nil {
		round.Err = trustwatch.ErrorMessage(err)
	}
	if s.Rounds != nil {
		s.Rounds.Round(round)
	}
	s.Logger.Info("web: push", "source", id, "by", p.Actor(), "request", req, "bytes", len(body),
		"read", res.Read, "stored", res.Stored, "duplicates", res.Duplicates, "quarantined", res.Quarantined, "err", round.Err)
	w.Header().Set("X-Request-Id", req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.json(w, http.StatusOK, res.Summary)
}

// pushSource is the watch file's push source with that id, nil if none.
func pushSource(w *trustwatch.Watch, id string) *trustwatch.Source {
	for i := range w.Sources {
		if src := &w.Sources[i]; id != "" && src.ID == id && src.SourceKind() == trustwatch.SourcePush {
			return src
		}
	}
	return nil
}

// readPush reads the whole body, gunzipping it when it says so, and
// refuses one past the limit (before or after decompression) with
// ETOOLARGE.
func (s *Server) readPush(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := s.MaxPushBytes
	if limit <= 0 {
		limit = DefaultMaxPushBytes
	}
	tooLarge := trustwatch.Errorf(trustwatch.ETOOLARGE, "Body over %d bytes: send fewer items per request.", limit)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	var in io.Reader = http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, pushReadError(err, tooLarge)
		}
		defer zr.Close()
		in = zr
	default:
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "Unsupported Content-Encoding %q: send gzip or nothing.", enc)
	}
	// One byte more than the limit tells a body at the limit from one past it.
	b, err := io.ReadAll(io.LimitReader(in, limit+1))
	if err != nil {
		return nil, pushReadError(err, tooLarge)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge
	}
	return b, nil
}

func pushReadError(err, tooLarge error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge
	}
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
		return trustwatch.Errorf(trustwatch.EINVALID, "Body is not valid gzip: %v.", err)
	}
	return err
}

// formatOf is the reader format a Content-Type names: only JSON lines
// name one (the canonical items); JSON and CSV are told apart by the
// readers.
func formatOf(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines":
		return "items"
	}
	return ""
}

// extOf is the file extension that hints a Content-Type's shape to the
// readers.
func extOf(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.Contains(mt, "ndjson"), strings.Contains(mt, "jsonl"), strings.Contains(mt, "jsonlines"):
		return ".jsonl"
	case strings.HasSuffix(mt, "json"):
		return ".json"
	case mt == "text/csv":
		return ".csv"
	case mt == "text/tab-separated-values":
		return ".tsv"
	}
	return ""
}

// newRequestID names one push in logs and quarantine records.
func newRequestID() string {
	var b [6]byte
	rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}
