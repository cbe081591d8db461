package main

import (
	"net/netip"
	"slices"
	"strconv"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"trustwatch/web"
)

func TestParseProxies(t *testing.T) {
	tests := []struct {
		given   []string
		want    []netip.Prefix
		wantErr bool
	}{
		{nil, nil, false},
		{[]string{"10.0.0.5"}, []netip.Prefix{netip.MustParsePrefix("10.0.0.5/32")}, false},
		{[]string{"10.1.2.3/8", "::1"}, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}, false},
		{[]string{"proxy.local"}, nil, true},
	}
	for _, tt := range tests {
		got, err := parseProxies(tt.given)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseProxies(%q) = %v, %v; want %v (error %v)", tt.given, got, err, tt.want, tt.wantErr)
		}
	}
}

// /metrics has the refused heavy requests by reason, from the start.
func TestHeavyRejectedMetric(t *testing.T) {
	reg := prometheus.NewRegistry()
	registerHeavyRejected(reg, &web.Server{})
	registerHeavyRejected(reg, &web.Server{}) // a second server keeps the first's
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			got = append(got, mf.GetName()+" "+m.GetLabel()[0].GetValue()+"="+strconv.FormatFloat(m.GetCounter().GetValue(), 'f', -1, 64))
		}
	}
	want := []string{"trustwatch_web_heavy_rejected_total busy=0", "trustwatch_web_heavy_rejected_total client=0"}
	if !slices.Equal(got, want) {
		t.Errorf("gathered %q, want %q", got, want)
	}
}
