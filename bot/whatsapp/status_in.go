package whatsapp

import (
	"cmp"
	"strings"
)

// statusEvent turns one statuses[] item into a KindStatus Event. From is the
// recipient, the shopper the status is about.
func statusEvent(s wireStatus, env Envelope, biz Metadata) Event {
	st := &Status{
		MessageID: string(s.ID),
		Status:    normStatus(s.Status),
		Recipient: cmp.Or(phoneOf(s.RecipientID), strings.TrimSpace(string(s.UserID))),
		Timestamp: unixTime(s.Timestamp),
	}
	if len(s.Errors) > 0 {
		st.Code, st.Reason = string(s.Errors[0].Code), s.Errors[0].reason()
	}
	return Event{Kind: KindStatus, Envelope: env, From: st.Recipient,
		Timestamp: st.Timestamp, Status: st, Business: biz}
}

// errorEvent turns a value-level errors[] item, which belongs to no message,
// into a failed KindStatus Event without a MessageID.
func errorEvent(e wireError, env Envelope, biz Metadata) Event {
	st := &Status{Status: "failed", Code: string(e.Code), Reason: e.reason()}
	return Event{Kind: KindStatus, Envelope: env, Status: st, Business: biz}
}

// noticeEvent turns the top level of a Kaleyra envelope (the flat notice,
// or a v2 status whose value holds no statuses) into a KindStatus Event.
func noticeEvent(env envelope, kind Envelope, biz Metadata) Event {
	st := &Status{
		MessageID: env.kaleyraID(),
		KaleyraID: env.kaleyraID(),
		Ref:       string(env.ExtraInfo.Ref),
		Status:    firstOf(normStatus(env.Status), "not sent"),
		Timestamp: unixTime(env.Timestamp),
		Code:      string(env.Code),
		Reason:    string(env.Reason),
	}
	return Event{Kind: KindStatus, Envelope: kind, Timestamp: st.Timestamp,
		Status: st, Business: biz}
}
