package whatsapp

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// noLimit is the limit of a required field WhatsApp sets no length for.
const noLimit = math.MaxInt

// Validate reports every field of m that WhatsApp would reject: a missing
// required field, an overlong string, too many or too few items, a repeated
// id. The result is nil, or one *FieldError per problem joined with
// errors.Join; each matches ErrInvalidMessage.
func Validate(m Message) error {
	m, err := deref(m)
	if err != nil {
		return err
	}
	k, ok := m.(wireMessage)
	if !ok {
		return fmt.Errorf("%w: unsupported message type %T", ErrInvalidMessage, m)
	}
	c := k.check(checker{kind: m.Kind()})
	return c.err()
}

// checker collects the problems of one message.
type checker struct {
	kind string
	errs []error
}

func (c *checker) add(f fieldPath, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{Kind: c.kind, Field: f.String(), Problem: fmt.Sprintf(format, args...)})
}

// text checks an optional string against its limit.
func (c *checker) text(f fieldPath, s string, limit int) {
	if n := utf8.RuneCountInString(s); n > limit {
		c.add(f, "is longer than %d characters (%d)", limit, n)
	}
}

// required checks a required string against its limit.
func (c *checker) required(f fieldPath, s string, limit int) {
	switch {
	case s == "":
		c.add(f, "is required")
		return
	case blank(s):
		c.add(f, "is required and is only white space")
		return
	}
	c.text(f, s, limit)
}

// param checks a template parameter: not empty, and as ParamProblem says
// (white space alone is left for WhatsApp to judge).
func (c *checker) param(f fieldPath, s string) {
	if s == "" {
		c.add(f, "is required")
		return
	}
	if p := ParamProblem(s); p != "" {
		c.add(f, "%s", p)
		return
	}
	c.text(f, s, MaxTextBody)
}

// ParamProblem says what in s WhatsApp refuses in a template parameter: a
// new line, a tab, or more than MaxParamSpaces spaces in a row; "" when
// nothing is.
func ParamProblem(s string) string {
	switch {
	case strings.ContainsAny(s, "\n\t"):
		return "must not hold a new line or a tab"
	case strings.Contains(s, strings.Repeat(" ", MaxParamSpaces+1)):
		return fmt.Sprintf("must not hold more than %d spaces in a row", MaxParamSpaces)
	}
	return ""
}

// count checks that a number of items is within lo..hi.
func (c *checker) count(f fieldPath, n, lo, hi int) {
	switch {
	case n < lo:
		c.add(f, "must have at least %d (has %d)", lo, n)
	case n > hi:
		c.add(f, "must have at most %d (has %d)", hi, n)
	}
}

// unique checks that s, unless empty, is not already in seen, and adds it.
func (c *checker) unique(f fieldPath, seen *idSet, s string) {
	if s != "" && seen.add(s) {
		c.add(f, "repeats %q", s)
	}
}

// sectionTitle checks a section title, required when there are several.
func (c *checker) sectionTitle(f fieldPath, s string, sections int) {
	if sections > 1 {
		c.required(f, s, MaxSectionTitle)
		return
	}
	c.text(f, s, MaxSectionTitle)
}

func (c *checker) err() error {
	if len(c.errs) == 1 {
		return c.errs[0]
	}
	return errors.Join(c.errs...)
}
