package trustwatch_test

import (
	"errors"
	"testing"

	"trustwatch"
)

func TestDeliveryString(t *testing.T) {
	tests := []struct {
		d    trustwatch.Delivery
		want string
	}{
		{trustwatch.Delivery{Channel: "ops", Type: "webhook", Attempts: 1, Status: 200}, "ops (webhook): delivered after 1 attempt(s), HTTP 200"},
		{trustwatch.Delivery{Channel: "mail", Type: "email", Attempts: 2}, "mail (email): delivered after 2 attempt(s)"},
		{trustwatch.Delivery{Channel: "quiet", Type: "feishu", Skipped: "severity low below min_severity high"}, "quiet (feishu): skipped: severity low below min_severity high"},
		{trustwatch.Delivery{Channel: "ops", Type: "slack", Attempts: 3, Status: 503, Err: errors.New("HTTP 503 Service Unavailable")}, "ops (slack): FAILED: HTTP 503 Service Unavailable"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}
