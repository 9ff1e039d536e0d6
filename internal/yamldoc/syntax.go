package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the problems yaml.v3's parser (not its scanner)
// reports, with the construct it was parsing. For these yaml.v3 counts
// lines from 0 and gives the line where that construct starts, or, when
// it starts on the first line, the line of the problem. Scanner errors
// give the problem's line, counted from 1.
var parserProblems = map[string]string{
	"did not find expected key":              "block mapping",
	"did not find expected '-' indicator":    "block sequence",
	"did not find expected ',' or '}'":       "flow mapping {...}",
	"did not find expected ',' or ']'":       "flow sequence [...]",
	"did not find expected node content":     "",
	"found undefined tag handle":             "",
	"did not find expected <document start>": "",
	"found duplicate %YAML directive":        "",
	"found incompatible YAML document":       "",
	"found duplicate %TAG directive":         "",
}

// SyntaxAt returns the line and column (counted from 1) and the message
// of err, an error One returned for data. yaml.v3 gives no column: it is
// 1. For a parser error the line is that of the construct the mistake is
// in, which the message then names; yaml.v3 keeps the exact place to
// itself.
func SyntaxAt(data []byte, err error) (line, col int, msg string) {
	if ae, ok := errors.AsType[*AliasError](err); ok {
		return ae.Line, ae.Column, ae.Msg
	}
	if _, m := split(err); readerProblems[m] {
		if l, c, what, ok := badCharAt(data); ok {
			return l, c, m + ": " + what
		}
	}
	line, msg = syntaxLine(data, err)
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if l, c, ok := aliasAt(data, m[1]); ok {
			return l, c, "alias *" + m[1] + " names no anchor (&" + m[1] + ") written before it"
		}
	}
	return line, 1, msg
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '([^']*)' referenced$`)

// aliasAt finds the first *name in data that is a whole alias, since
// yaml.v3 gives no place for an unknown one.
func aliasAt(data []byte, name string) (line, col int, ok bool) {
	re := regexp.MustCompile(`\*` + regexp.QuoteMeta(name) + `(?:[\s,\]}]|$)`)
	for i, l := range strings.Split(string(data), "\n") {
		if loc := re.FindStringIndex(l); loc != nil {
			return i + 1, utf8.RuneCountInString(l[:loc[0]]) + 1, true
		}
	}
	return 0, 0, false
}

func syntaxLine(data []byte, err error) (line int, msg string) {
	line, msg = split(err)
	construct, parser := parserProblems[msg]
	if !parser {
		return min(max(line, 1), lastLine(data)), msg // past the end: the stream's end
	}
	line = min(line+1, lastLine(data))
	// With a line added on top, no construct starts on the first line, so
	// yaml.v3 gives the construct's start: counted from 0 in the longer
	// text, it is the line counted from 1 in data.
	_, _, shifted := One(append([]byte("\n"), data...))
	start, again := split(shifted)
	if shifted == nil || again != msg || start <= 1 || construct == "" {
		return line, msg
	}
	start = min(start, lastLine(data))
	if at := firstFailing(data, msg, start); at > start {
		return at, fmt.Sprintf("%s (in the %s that starts on line %d: check this line's indentation and quotes)", msg, construct, start)
	}
	return start, msg + " (in the " + construct + " that starts on this line)"
}

// firstFailing finds the line a parser error is on, which yaml.v3 does
// not say: the first line n after from such that data's first n lines
// fail with msg (as all of data does) and its first n-1 lines do not; 0
// when that is from itself. It parses O(log lines) prefixes.
func firstFailing(data []byte, msg string, from int) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	fails := func(n int) bool {
		_, _, err := One(bytes.Join(lines[:n], nil))
		_, m := split(err)
		return err != nil && m == msg
	}
	lo, hi := from, len(lines) // fails(hi); the answer is in [lo, hi]
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1 // so fails(hi-1) is false once lo reaches hi
		}
	}
	if hi <= from {
		return 0
	}
	return hi
}

// split takes yaml.v3's "yaml: line N: problem" apart; line is 0 when the
// error names none.
func split(err error) (line int, msg string) {
	if err == nil {
		return 0, ""
	}
	msg = strings.TrimSpace(err.Error())
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		return line, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// lastLine is the number of data's last line, counted from 1, with line
// breaks as YAML has them: \n, \r\n or a lone \r.
func lastLine(data []byte) int {
	n := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' && data[len(data)-1] != '\r' {
		n++
	}
	return max(n, 1)
}
