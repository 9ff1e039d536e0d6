package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	want := MessageStatus{Status: StatusNotSent, Attempts: 3, Updated: time.UnixMilli(1763800000123),
		MessageID: "wamid.HBgM|x", Error: "WAV2101 Account daily limit reached | try later"}
	var got MessageStatus
	if !decodeRecord(encodeRecord(want), &got) || got != want {
		t.Fatalf("round trip = %+v, want %+v", got, want)
	}
	sep := MessageStatus{Status: StatusFailed, Error: "a" + recordSep + "b", Updated: time.UnixMilli(0)}
	if !decodeRecord(encodeRecord(sep), &got) || got.Error != "a b" {
		t.Fatalf("an error with the separator reads %q, want %q", got.Error, "a b")
	}
	if decodeRecord("queued", &got) {
		t.Fatal("a value with too few fields decoded")
	}
}

// TestRecordThroughASend follows one record through a failed attempt and
// the send: each step keeps the record's TTL, the attempts and the error
// of the failed attempt, and a record gone meanwhile is written again with
// a TTL.
func TestRecordThroughASend(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			h := commitReply(t, st, "r1", time.Minute)
			m, _, _ := st.Head(ctx, testPhone)
			want := func(step, status string, attempts int, errText, mid string) {
				t.Helper()
				got, err := st.Status(ctx, testPhone, "r1")
				if err != nil || got.Status != status || got.Attempts != attempts || got.Error != errText || got.MessageID != mid {
					t.Fatalf("%s: %+v, %v; want %s, %d attempts, error %q, message_id %q", step, got, err, status, attempts, errText, mid)
				}
				if ttl := st.rdb.PTTL(ctx, st.keys.msg(testPhone, "r1")).Val(); ttl <= 0 {
					t.Fatalf("%s: record TTL %v", step, ttl)
				}
			}
			want("queued", StatusQueued, 0, "", "")
			m.Attempts, m.LastError = 1, "WA500 busy"
			if err := st.Retry(ctx, testPhone, h.Token, m); err != nil {
				t.Fatal(err)
			}
			want("retried", StatusQueued, 1, "WA500 busy", "")
			st.rdb.Del(ctx, st.keys.msg(testPhone, "r1"))
			m.Attempts = 2
			if err := st.Retry(ctx, testPhone, h.Token, m); err != nil {
				t.Fatal(err)
			}
			want("retried with the record gone", StatusQueued, 2, "WA500 busy", "")
			if _, _, err := st.SentNext(ctx, testPhone, h.Token, m, "k-r1"); err != nil {
				t.Fatal(err)
			}
			want("sent", StatusSent, 3, "WA500 busy", "k-r1")
		})
	}
}

// TestSendAfterCallback checks that a send recorded after a callback
// already reported the message delivered keeps it delivered.
func TestSendAfterCallback(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			h := commitReply(t, st, "r1", time.Minute)
			m, _, _ := st.Head(ctx, testPhone)
			ok, err := st.UpdateStatus(ctx, StatusUpdate{Phone: testPhone, Ref: "r1", Status: StatusDelivered})
			if err != nil || !ok {
				t.Fatalf("delivered: %v %v", ok, err)
			}
			if _, _, err := st.SentNext(ctx, testPhone, h.Token, m, "k-r1"); err != nil {
				t.Fatal(err)
			}
			got, err := st.StatusByMessageID(ctx, "k-r1")
			if err != nil || got.Status != StatusDelivered || got.Attempts != 1 || got.Phone != testPhone {
				t.Fatalf("after the send: %+v, %v; want delivered, 1 attempt", got, err)
			}
		})
	}
}

// TestLegacyRecords checks that a record and a mid index written in the
// layout before records were strings are still read, and that the first
// callback moves the record to the new layout with its TTL.
func TestLegacyRecords(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			old := st.keys.legacyMsg(testPhone, "old1")
			st.rdb.HSet(ctx, old, "status", "sent", "phone", testPhone, "message_id", "k-old1", "attempts", "1",
				"updated", "1763800000000")
			st.rdb.PExpire(ctx, old, time.Hour)
			st.rdb.Set(ctx, st.keys.legacyMid("k-old1"), testPhone+" old1", time.Hour)

			got, err := st.StatusByMessageID(ctx, "k-old1")
			if err != nil || got.Status != StatusSent || got.ID != "old1" || got.Attempts != 1 || got.MessageID != "k-old1" {
				t.Fatalf("legacy record read as %+v, %v", got, err)
			}
			ok, err := st.UpdateStatus(ctx, StatusUpdate{MessageID: "k-old1", Status: StatusRead})
			if err != nil || !ok {
				t.Fatalf("callback on a legacy record: %v %v", ok, err)
			}
			if n := st.rdb.Exists(ctx, old).Val(); n != 0 {
				t.Fatal("the legacy record is still there after it was moved")
			}
			if ttl := st.rdb.PTTL(ctx, st.keys.msg(testPhone, "old1")).Val(); ttl <= 0 || ttl > time.Hour {
				t.Fatalf("moved record's TTL %v, want the legacy one's (at most 1h)", ttl)
			}
			if got, err := st.Status(ctx, testPhone, "old1"); err != nil || got.Status != StatusRead || got.MessageID != "k-old1" {
				t.Fatalf("moved record %+v, %v", got, err)
			}
			forever := st.keys.legacyMsg(testPhone, "old2") // a legacy record that never got a TTL
			st.rdb.HSet(ctx, forever, "status", "queued", "phone", testPhone)
			if ok, err := st.UpdateStatus(ctx, StatusUpdate{Phone: testPhone, Ref: "old2", Status: StatusFailed}); err != nil || !ok {
				t.Fatalf("callback on a legacy record without a TTL: %v %v", ok, err)
			}
			if ttl := st.rdb.PTTL(ctx, st.keys.msg(testPhone, "old2")).Val(); ttl <= 0 {
				t.Fatalf("a legacy record without a TTL moved to one with TTL %v; want the status TTL", ttl)
			}
		})
	}
}

// FuzzRecord checks that any status record reads back as written, the
// separator in a message id or an error turned into a space.
func FuzzRecord(f *testing.F) {
	f.Add("delivered", 2, int64(1763800000123), "wamid.HBgM", "WA500 busy")
	f.Add("not sent", 0, int64(0), "", "a\x1fb")
	f.Fuzz(func(t *testing.T, status string, attempts int, updated int64, mid, errText string) {
		if strings.Contains(status, recordSep) || attempts < 0 {
			t.Skip()
		}
		in := MessageStatus{Status: status, Attempts: attempts, Updated: time.UnixMilli(updated), MessageID: mid, Error: errText}
		var got MessageStatus
		if !decodeRecord(encodeRecord(in), &got) {
			t.Fatalf("%+v did not read back", in)
		}
		want := in
		want.MessageID = strings.ReplaceAll(mid, recordSep, " ")
		want.Error = strings.ReplaceAll(errText, recordSep, " ")
		if got != want {
			t.Fatalf("read back %+v, want %+v", got, want)
		}
	})
}

// TestCallbackWithAnotherID checks a callback that finds its message by
// ref but names it by another id than the send returned (a wamid where
// Kaleyra answered its own id): the record keeps the send's id, the
// other is indexed too, so a later status by either id applies and the
// message is found by both; an id that already names another message
// stays with it; and a delivered message drops its earlier attempts'
// error.
func TestCallbackWithAnotherID(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			h := commitReply(t, st, "r1", time.Minute)
			m, _, _ := st.Head(ctx, testPhone)
			m.Attempts, m.LastError = 1, "WA500 busy"
			if err := st.Retry(ctx, testPhone, h.Token, m); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.SentNext(ctx, testPhone, h.Token, m, "k-r1"); err != nil {
				t.Fatal(err)
			}
			st.rdb.Set(ctx, st.keys.mid("k-other"), testPhone+" r9", time.Minute)
			for _, u := range []StatusUpdate{
				{Phone: testPhone, Ref: "r1", MessageID: "wamid.r1", Status: StatusDelivered},
				{Phone: testPhone, Ref: "r1", MessageID: "k-other", Status: StatusDelivered},
				{MessageID: "wamid.r1", Status: StatusRead},
			} {
				if _, err := st.UpdateStatus(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			for _, id := range []string{"k-r1", "wamid.r1"} {
				got, err := st.StatusByMessageID(ctx, id)
				if err != nil || got.ID != "r1" || got.Status != StatusRead || got.MessageID != "k-r1" || got.Error != "" {
					t.Errorf("by %s: %+v, %v; want r1 read, message_id k-r1, no error", id, got, err)
				}
			}
			if got, _ := st.rdb.Get(ctx, st.keys.mid("k-other")).Result(); got != testPhone+" r9" {
				t.Errorf("k-other now names %q, want the message it named", got)
			}
		})
	}
}

// TestCallbackFillsMissingID checks that a record the send left without a
// message id (a 2xx without one) takes the first callback's, also from a
// callback whose status would go back.
func TestCallbackFillsMissingID(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			h := commitReply(t, st, "r1", time.Minute)
			m, _, _ := st.Head(ctx, testPhone)
			if _, _, err := st.SentNext(ctx, testPhone, h.Token, m, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := st.UpdateStatus(ctx, StatusUpdate{Phone: testPhone, Ref: "r1", Status: StatusRead}); err != nil {
				t.Fatal(err)
			}
			if ok, err := st.UpdateStatus(ctx, StatusUpdate{Phone: testPhone, Ref: "r1", MessageID: "wamid.r1", Status: StatusSent}); err != nil || ok {
				t.Fatalf("a late sent: applied %v, %v", ok, err)
			}
			got, err := st.StatusByMessageID(ctx, "wamid.r1")
			if err != nil || got.ID != "r1" || got.Status != StatusRead || got.MessageID != "wamid.r1" {
				t.Errorf("%+v, %v; want r1 read with message_id wamid.r1", got, err)
			}
		})
	}
}
