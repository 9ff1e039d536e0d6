package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// csv reads a CSV file whose first row names the columns: id (or
// retailer_id), name, price, currency, and optionally description.
func (l *loader) csv(data []byte) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if l.csvError(err) {
		return
	}
	cols, ok := l.header(r, header)
	if !ok {
		return
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) || l.csvError(err) {
			return
		}
		line, col := r.FieldPos(0)
		if len(rec) != len(header) {
			hint := ""
			if len(rec) > len(header) {
				hint = ` (put a field that holds a comma in double quotes: "Tomato, basil")`
			}
			l.problem(line, col, "csv-columns", "row has %d fields, the header has %d%s", len(rec), len(header), hint)
			continue
		}
		fields := map[string]field{}
		for i, v := range rec {
			fl, fc := r.FieldPos(i)
			fields[cols[i]] = field{val: v, line: fl, col: fc}
		}
		l.add(field{line: line, col: col}, fields)
	}
}

// header maps each column index to a field name, reporting unknown and
// repeated columns.
func (l *loader) header(r *csv.Reader, header []string) ([]string, bool) {
	cols := make([]string, len(header))
	seen := map[string]bool{}
	ok := true
	for i, h := range header {
		line, col := r.FieldPos(i)
		name, known := columns[strings.ToLower(strings.TrimSpace(h))]
		switch {
		case !known && strings.Contains(h, ";"):
			l.problem(line, col, "csv-header", "unknown column %q: the file is separated by semicolons; souk reads commas (save it as CSV with commas)", h)
			ok = false
		case !known:
			l.problem(line, col, "csv-header", "unknown column %q (columns: id, name, price, currency, description)", h)
			ok = false
		case seen[name]:
			l.problem(line, col, "csv-header", "column %q is repeated", h)
			ok = false
		}
		seen[name], cols[i] = true, name
	}
	for _, need := range []string{"id", "name", "price", "currency"} {
		if ok && !seen[need] {
			l.problem(1, 1, "csv-header", "the header row has no %s column", need)
			ok = false
		}
	}
	return cols, ok
}

// csvError records a syntax error at its position; it reports whether err
// ends the file.
func (l *loader) csvError(err error) bool {
	if err == nil {
		return false
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		l.problem(pe.Line, pe.Column, "csv-syntax", "%v", pe.Err)
		return true
	}
	if errors.Is(err, io.EOF) {
		l.problem(1, 1, "csv-empty", "the products file is empty")
		return true
	}
	l.problem(1, 1, "csv-syntax", "%v", err)
	return true
}
