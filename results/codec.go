package results

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"trustwatch"
)

// A result is encoded as JSON, the form the API serves, which keeps an
// empty list apart from none ("top_evidence": [] stays [], not null); a
// result JSON cannot hold (a NaN score) falls back to gob. The first byte
// says which.
const (
	encJSON = 'j'
	encGob  = 'g'
)

// Save encodes v and saves it under key with its version.
func Save(ctx context.Context, rs trustwatch.ResultStore, key, version string, v any) error {
	var buf bytes.Buffer
	buf.WriteByte(encJSON)
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		buf.Reset()
		buf.WriteByte(encGob)
		if err := gob.NewEncoder(&buf).Encode(v); err != nil {
			return fmt.Errorf("results: encode %s: %w", key, err)
		}
	}
	return rs.SaveResult(ctx, key, version, buf.Bytes())
}

// Load returns the result saved under key if it was computed from version;
// ok is false when none was saved or it is stale. Times come back in loc
// (see restoreZones).
func Load[T any](ctx context.Context, rs trustwatch.ResultStore, key, version string, loc *time.Location) (v T, ok bool, err error) {
	saved, data, err := rs.Result(ctx, key)
	if trustwatch.ErrorCode(err) == trustwatch.ENOTFOUND {
		return v, false, nil
	}
	if err != nil || saved != version || len(data) == 0 {
		return v, false, err
	}
	switch data[0] {
	case encJSON:
		err = json.Unmarshal(data[1:], &v)
	case encGob:
		err = gob.NewDecoder(bytes.NewReader(data[1:])).Decode(&v)
	default:
		err = fmt.Errorf("unknown encoding %q", data[0])
	}
	if err != nil {
		return v, false, fmt.Errorf("results: decode %s: %w", key, err)
	}
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	restoreZones(reflect.ValueOf(&v).Elem(), loc)
	return v, true, nil
}

var timeType = reflect.TypeFor[time.Time]()

// restoreZones puts the decoded times back in loc. A decoded time keeps
// its offset but not its zone, and comes back with a fixed zone of its own,
// so that two equal days are no longer == (ledger.Balance groups days in a
// map) and print in a zone without a name. A time that was in UTC stays
// in UTC; one whose offset is loc's at that instant goes back to loc.
// Map keys are left as they are: no result is keyed by time.
func restoreZones(v reflect.Value, loc *time.Location) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			if !v.CanSet() {
				return
			}
			t := v.Interface().(time.Time)
			if t.Location() == time.UTC || t.IsZero() {
				return
			}
			if _, off := t.Zone(); func() bool { _, o := t.In(loc).Zone(); return o == off }() {
				v.Set(reflect.ValueOf(t.In(loc)))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				restoreZones(v.Field(i), loc)
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			restoreZones(v.Elem(), loc)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			restoreZones(v.Index(i), loc)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			// Map values cannot be set in place: fix a copy, put it back.
			e := reflect.New(iter.Value().Type()).Elem()
			e.Set(iter.Value())
			restoreZones(e, loc)
			v.SetMapIndex(iter.Key(), e)
		}
	}
}
