package cli

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/simulator"
	"github.com/souk-commerce/souk/flows"
)

// DefaultWatchInterval is how often `souk serve --watch` looks at the flow
// file and its products file.
const DefaultWatchInterval = time.Second

// reloader re-validates the flow file and swaps it into the engine. An
// invalid flow is rejected with its diagnostics in the log, and the flow
// already running keeps serving.
type reloader struct {
	path    string
	opts    flows.Options
	engine  *bot.Engine
	log     *slog.Logger
	kaleyra kaleyra.Config // for the warnings a flow gets at start

	last    fingerprint  // the content last loaded (or rejected)
	pending *fingerprint // a new content seen once, reloaded when seen again
	readErr string       // the last error reading the file, logged once

	// notify, when set, hears every change of status: the web simulator
	// shows it to a merchant editing the flow.
	notify func(simulator.FlowStatus)
	status simulator.FlowStatus // the outcome of the last reload
}

// fingerprint identifies one version of the flow file together with the
// products file the running flow reads.
type fingerprint struct {
	mod  time.Time
	size int64
	sum  [sha256.Size]byte
}

func newReloader(path string, opts flows.Options, eng *bot.Engine, log *slog.Logger) *reloader {
	r := &reloader{path: path, opts: opts, engine: eng, log: log}
	r.last, _ = r.fingerprint()
	r.status.Name = eng.Flow().Name
	return r
}

// startReload reloads the flow on SIGHUP and, when watch is positive, when
// the file changes (looked at every watch). It stops when ctx is done or
// the returned function is called.
func startReload(ctx context.Context, cfg serveConfig, env *Env, a *app, log *slog.Logger) (stop func()) {
	r := serveReloader(cfg, env, a, log)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(ctx, hup, cfg.watch)
	}()
	return func() {
		signal.Stop(hup)
		cancel()
		<-done
	}
}

// serveReloader is the reloader of a's flow, telling a's simulator, if
// any, how each reload went.
func serveReloader(cfg serveConfig, env *Env, a *app, log *slog.Logger) *reloader {
	r := newReloader(cfg.flow, flowOptions(env, false), a.engine, log)
	r.kaleyra = cfg.kaleyra
	if a.sim != nil {
		r.notify = a.sim.SetFlowStatus
	}
	return r
}

func (r *reloader) run(ctx context.Context, hup <-chan os.Signal, watch time.Duration) {
	var tick <-chan time.Time
	if watch > 0 {
		t := time.NewTicker(watch)
		defer t.Stop()
		tick = t.C
		r.log.Info("watching the flow file and its products file for changes", "file", r.path, "every", watch.String())
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.last, _ = r.fingerprint()
			r.pending = nil
			r.reload("SIGHUP")
		case <-tick:
			if r.changed() {
				r.reload("file changed")
			}
		}
	}
}

// changed reports whether the file holds new content that has stayed the
// same for two looks in a row, so that a file still being written is not
// loaded half-way.
func (r *reloader) changed() bool {
	fp, err := r.fingerprint()
	if err != nil {
		if err.Error() != r.readErr {
			r.log.Warn("cannot read the flow file; the current flow keeps serving", "file", r.path, "err", err)
			r.readErr = err.Error()
			r.tell(r.rejected([]string{"cannot read the flow file: " + err.Error()}))
		}
		return false
	}
	if r.readErr != "" {
		r.readErr = ""
		if fp == r.last { // back as it was: no reload is coming to say so
			r.tell(r.status)
		}
	}
	switch {
	case fp == r.last:
		r.pending = nil
		return false
	case r.pending != nil && *r.pending == fp:
		r.last, r.pending = fp, nil
		return true
	}
	r.pending = &fp
	return false
}

func (r *reloader) fingerprint() (fingerprint, error) {
	info, err := os.Stat(r.path)
	if err != nil {
		return fingerprint{}, err
	}
	data, err := os.ReadFile(r.path)
	if err != nil {
		return fingerprint{}, err
	}
	h := sha256.New()
	h.Write(data)
	fp := fingerprint{mod: info.ModTime(), size: info.Size()}
	if path := productsPath(r.path, data); path != "" {
		// A products file that cannot be read changes the sum too, so
		// that the reload reports it.
		products, err := os.ReadFile(path)
		h.Write([]byte{0})
		h.Write(products)
		if err != nil {
			h.Write([]byte(err.Error()))
		}
		fp.size += int64(len(products))
	}
	h.Sum(fp.sum[:0])
	return fp, nil
}

// productsPath is the products file the flow file's content names, as the
// loader finds it (relative to the flow file), or "".
func productsPath(flowPath string, data []byte) string {
	var top struct {
		Products string `yaml:"products"`
	}
	if yaml.Unmarshal(data, &top) != nil || top.Products == "" {
		return ""
	}
	if filepath.IsAbs(top.Products) {
		return top.Products
	}
	return filepath.Join(filepath.Dir(flowPath), top.Products)
}

// reload loads and checks the flow and swaps it in when it has no errors.
func (r *reloader) reload(why string) bool {
	f, diags := flows.Load(r.path, r.opts)
	if diags.HasErrors() {
		var problems []string
		for _, d := range diags.Errors() {
			problems = append(problems, d.String())
		}
		r.status = r.rejected(problems)
		r.tell(r.status)
		r.log.Error("flow reload rejected; the old flow keeps serving", "file", r.path, "reason", why,
			"errors", len(problems), "flow", r.engine.Flow().Name)
		for _, d := range diags {
			r.log.Error("flow problem", "diagnostic", d.String())
		}
		return false
	}
	for _, d := range diags {
		r.log.Warn("flow problem", "diagnostic", d.String())
	}
	warnFlow(r.log, f, r.kaleyra)
	r.engine.SetFlow(f)
	r.status = simulator.FlowStatus{Name: f.Name, Reloaded: time.Now()}
	r.tell(r.status)
	r.log.Info("flow reloaded", "file", r.path, "reason", why, "flow", f.Name, "states", len(f.StateNames))
	return true
}

// rejected is the status of a change that did not load for problems: the
// flow from before keeps serving.
func (r *reloader) rejected(problems []string) simulator.FlowStatus {
	st := r.status
	st.Rejected = &simulator.Rejection{At: time.Now(), File: r.path, Problems: problems}
	return st
}

func (r *reloader) tell(st simulator.FlowStatus) {
	if r.notify != nil {
		r.notify(st)
	}
}
