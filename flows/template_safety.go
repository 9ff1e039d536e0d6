package flows

import (
	"errors"
	"fmt"
	"io"
	"text/template"
	"text/template/parse"
	"time"
)

// MaxRenderTime caps the time one flow string may take to render. Only a
// {{range}} can loop, so every range body checks the clock.
const MaxRenderTime = 100 * time.Millisecond

// ErrRenderTooSlow is returned when a string renders for longer than
// MaxRenderTime.
var ErrRenderTooSlow = errors.New("rendering took longer than 100ms")

// tickFunc is the function souk puts at the start of every range body.
const tickFunc = "souk_tick"

// tickAction is the {{souk_tick}} node put into range bodies; it is never
// changed, so one node serves every template.
var tickAction = func() parse.Node {
	t := template.Must(template.New("tick").Funcs(noTick).Parse("{{" + tickFunc + "}}"))
	return t.Tree.Root.Nodes[0]
}()

// noTick is the tick of a template executed without a time budget.
var noTick = template.FuncMap{tickFunc: func() string { return "" }}

// forbiddenAction names the first action that could make a template call
// itself or another one ({{define}}, {{template}}, {{block}}), or "".
func forbiddenAction(t *template.Template) string {
	if len(t.Templates()) > 1 {
		return "define"
	}
	if t.Tree == nil {
		return ""
	}
	var found string
	walkTemplate(t.Tree.Root, func(n parse.Node) {
		if _, ok := n.(*parse.TemplateNode); ok && found == "" {
			found = "template"
		}
	})
	return found
}

// instrument puts a tick at the start of every range body of t and reports
// whether it found any.
func instrument(t *template.Template) bool {
	loops := false
	walkTemplate(t.Tree.Root, func(n parse.Node) {
		if r, ok := n.(*parse.RangeNode); ok && r.List != nil {
			r.List.Nodes = append([]parse.Node{tickAction}, r.List.Nodes...)
			loops = true
		}
	})
	return loops
}

// walkTemplate calls fn on n and every node below it.
func walkTemplate(n parse.Node, fn func(parse.Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplate(c, fn)
		}
	case *parse.IfNode:
		walkTemplateBranch(&n.BranchNode, fn)
	case *parse.RangeNode:
		walkTemplateBranch(&n.BranchNode, fn)
	case *parse.WithNode:
		walkTemplateBranch(&n.BranchNode, fn)
	}
}

func walkTemplateBranch(b *parse.BranchNode, fn func(parse.Node)) {
	if b.List != nil {
		walkTemplate(b.List, fn)
	}
	if b.ElseList != nil {
		walkTemplate(b.ElseList, fn)
	}
}

// execTemplate runs t for d into w. A template with loops runs on a copy whose
// tick stops it once MaxRenderTime has passed.
func execTemplate(t *template.Template, loops bool, w io.Writer, d any) error {
	if !loops {
		return t.Execute(w, d)
	}
	c, err := t.Clone()
	if err != nil {
		return err
	}
	b := renderBudget{deadline: time.Now().Add(MaxRenderTime)}
	return c.Funcs(template.FuncMap{tickFunc: b.tick}).Execute(w, d)
}

// renderBudget stops a render that runs past its deadline.
type renderBudget struct {
	deadline time.Time
	n        int
}

// tick is called at the start of every loop iteration.
func (b *renderBudget) tick() (string, error) {
	b.n++
	if b.n%16 == 0 && time.Now().After(b.deadline) {
		return "", ErrRenderTooSlow
	}
	return "", nil
}

// unsafeTemplate is the diagnostic message for a forbidden action.
func unsafeTemplate(what, action string) string {
	return fmt.Sprintf("%s: {{%s}} is not allowed in flow strings (no define, template or block: a string cannot call another)", what, action)
}
