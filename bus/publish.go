package bus

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"trustwatch"
	"trustwatch/ingest"
)

// Publisher sends the records an ingest.Ingester reads to the stream
// instead of a store: it is an ingest.Store whose "stored" is "published"
// and whose duplicates are what the server's duplicate window dropped. Run
// the Ingester without an Analyzer: workers analyse.
type Publisher struct {
	JS jetstream.JetStream
}

var _ ingest.Store = (*Publisher)(nil)

// inFlight bounds the asynchronous publishes awaited together: enough to
// keep the connection busy, few enough to stay under the client's limit of
// pending acks.
const inFlight = 1000

type outMsg struct {
	subject, id string
	v           any
}

// publish sends msgs and waits for every PubAck. It returns how many the
// stream kept and how many it dropped as duplicates; on an error, the
// records not yet acknowledged may or may not be in the stream (sending
// them again is harmless).
func (p *Publisher) publish(ctx context.Context, msgs []outMsg) (kept, dups int, err error) {
	for lo := 0; lo < len(msgs); lo += inFlight {
		part := msgs[lo:min(lo+inFlight, len(msgs))]
		futures := make([]jetstream.PubAckFuture, 0, len(part))
		for _, m := range part {
			data, err := json.Marshal(m.v)
			if err != nil {
				return kept, dups, fmt.Errorf("bus: encode %s: %w", m.id, err)
			}
			f, err := p.JS.PublishMsgAsync(&nats.Msg{Subject: m.subject, Data: data}, jetstream.WithMsgID(m.id))
			if err != nil {
				return kept, dups, fmt.Errorf("bus: publish %s: %w", m.id, err)
			}
			futures = append(futures, f)
		}
		for _, f := range futures {
			select {
			case ack := <-f.Ok():
				if ack.Duplicate {
					dups++
				} else {
					kept++
				}
			case err := <-f.Err():
				return kept, dups, fmt.Errorf("bus: publish %s: %w", f.Msg().Header.Get(jetstream.MsgIDHeader), err)
			case <-ctx.Done():
				return kept, dups, ctx.Err()
			}
		}
	}
	return kept, dups, nil
}

// PutItems publishes items on trustwatch.items.<platform>.
func (p *Publisher) PutItems(ctx context.Context, items []trustwatch.Item) (int, int, error) {
	msgs := make([]outMsg, len(items))
	for i := range items {
		it := &items[i]
		msgs[i] = outMsg{ItemSubject(it.Platform), ItemMsgID(it), it}
	}
	return p.publish(ctx, msgs)
}

// PutQuarantine publishes quarantine records on trustwatch.quarantine; a
// record the stream has already seen (the same Nats-Msg-Id) is a
// duplicate.
func (p *Publisher) PutQuarantine(ctx context.Context, qs []trustwatch.Quarantined) (int, int, error) {
	msgs := make([]outMsg, len(qs))
	for i := range qs {
		msgs[i] = outMsg{subjectQuarantine, QuarantineMsgID(&qs[i]), &qs[i]}
	}
	return p.publish(ctx, msgs)
}

// PutPoints publishes metric points on trustwatch.points.
func (p *Publisher) PutPoints(ctx context.Context, pts []trustwatch.Point) (int, int, error) {
	msgs := make([]outMsg, len(pts))
	for i := range pts {
		msgs[i] = outMsg{subjectPoints, PointMsgID(&pts[i]), &pts[i]}
	}
	return p.publish(ctx, msgs)
}

// PutEvents publishes events on trustwatch.events.
func (p *Publisher) PutEvents(ctx context.Context, evs []trustwatch.Event) (int, int, error) {
	msgs := make([]outMsg, len(evs))
	for i := range evs {
		msgs[i] = outMsg{subjectEvents, EventMsgID(&evs[i]), &evs[i]}
	}
	return p.publish(ctx, msgs)
}
