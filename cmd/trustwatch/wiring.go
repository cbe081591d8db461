package main

import (
	"encoding/json"
	"time"

	"trustwatch"
	"trustwatch/watchfile"
)

// loadWatch reads the watch file named by --config; without one, the watch
// is empty (nothing but the stored data is known).
func loadWatch(a *app) (*trustwatch.Watch, error) {
	if a.configPath == "" {
		return &trustwatch.Watch{}, nil
	}
	return watchfile.Load(a.configPath)
}

// location returns the zone named by --tz.
func location(a *app) (*time.Location, error) {
	loc, err := time.LoadLocation(a.tz)
	if err != nil {
		return nil, usageError{trustwatch.Errorf(trustwatch.EINVALID, "unknown time zone %q", a.tz)}
	}
	return loc, nil
}

// printJSON writes v as indented JSON to stdout.
func printJSON(a *app, v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
