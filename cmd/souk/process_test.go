package main_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// These tests run real `souk serve` processes built from this tree.

var soukBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "souk-bin-")
	if err != nil {
		panic(err)
	}
	soukBin = filepath.Join(dir, "souk")
	if out, err := exec.Command("go", "build", "-o", soukBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building souk: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// keywordFlow: message "mNN" enters state mNN, which replies "mNN"; a new
// conversation starts in m00.
func keywordFlow(t *testing.T) string {
	var b strings.Builder
	b.WriteString("flow: keywords\nstart: m00\nkeywords:\n")
	for i := range 20 {
		fmt.Fprintf(&b, "  m%02d: m%02d\n", i, i)
	}
	b.WriteString("states:\n")
	for i := range 20 {
		fmt.Fprintf(&b, "  m%02d:\n    send:\n      - text: m%02d\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "flow.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type serveProc struct {
	cmd  *exec.Cmd
	url  string
	logs *bottest.Buffer
	done chan struct{} // closed when the process exited; err is then set
	err  error
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve starts `souk serve` on a free port and waits for /healthz.
func serve(t *testing.T, flow, redisURL, prefix string, k *kaleyratest.Listener) *serveProc {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(soukBin, "serve", "--flow", flow, "--addr", addr)
	cmd.Env = append(os.Environ(), "REDIS_URL="+redisURL, "SOUK_REDIS_PREFIX="+prefix,
		"KALEYRA_API_KEY=test-key", "KALEYRA_SID=SID", "KALEYRA_NUMBER=919800011122", "KALEYRA_BASE_URL="+k.URL,
		"SOUK_OUTBOX_POLL=20ms", "SOUK_OUTBOX_LEASE=2s", "SOUK_OUTBOX_BACKOFF=50ms", "SOUK_SHUTDOWN_TIMEOUT=5s")
	p := &serveProc{cmd: cmd, url: "http://" + addr, logs: &bottest.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("souk serve %s logs:\n%s", addr, p.logs.String())
		}
	})
	bottest.Eventually(t, "souk serve up", 15*time.Second, func() bool { return p.get("/healthz") == 200 })
	return p
}

func (p *serveProc) get(path string) int {
	resp, err := http.Get(p.url + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (p *serveProc) post(phone, id, text string) int {
	body := fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"display_phone_number":"919800011122","phone_number_id":"555"},
"contacts":[{"profile":{"name":"T"},"wa_id":%q}],
"messages":[{"from":%q,"id":%q,"timestamp":"%d","type":"text","text":{"body":%q}}]}}]}]}`,
		phone, phone, id, time.Now().Unix(), text)
	resp, err := http.Post(p.url+"/webhook", "application/json", strings.NewReader(body))
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// sharedRedis returns REDIS_URL and a fresh prefix whose keys are deleted
// when t ends; it skips t when REDIS_URL is unset.
func sharedRedis(t *testing.T) (url, prefix string) {
	url, prefix = storetest.RedisURL(t), storetest.Prefix()
	storetest.OpenRedis(t, url, prefix, 1) // deletes the prefix's keys when t ends
	return url, prefix
}

func TestTwoServeProcesses(t *testing.T) {
	url, prefix := sharedRedis(t)
	flow := keywordFlow(t)
	k := kaleyratest.Run(t)
	procs := []*serveProc{serve(t, flow, url, prefix, k), serve(t, flow, url, prefix, k)}

	t.Run("duplicate webhook to both, at once", func(t *testing.T) {
		phone := "919811100000"
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				if code := procs[i%2].post(phone, "wamid.same", "m00"); code != 200 {
					t.Errorf("POST = %d", code)
				}
			})
		}
		wg.Wait()
		if code := procs[0].post(phone, "wamid.next", "m01"); code != 200 {
			t.Fatalf("POST = %d", code)
		}
		bottest.Eventually(t, "two replies", 10*time.Second, func() bool { return len(k.Texts(phone)) >= 2 })
		if got := k.Texts(phone); !slices.Equal(got, []string{"m00", "m01"}) {
			t.Fatalf("replies %v, want [m00 m01]", got)
		}
	})

	t.Run("50 shoppers x 20 messages", func(t *testing.T) {
		const shoppers, msgs = 50, 20
		var wg sync.WaitGroup
		for s := range shoppers {
			wg.Go(func() {
				phone := fmt.Sprintf("9198200%05d", s)
				for i := range msgs {
					if code := procs[i%2].post(phone, fmt.Sprintf("wamid.%d.%d", s, i), fmt.Sprintf("m%02d", i)); code != 200 {
						t.Errorf("shopper %d message %d: POST = %d", s, i, code)
						return
					}
				}
			})
		}
		wg.Wait()
		want := make([]string, msgs)
		for i := range want {
			want[i] = fmt.Sprintf("m%02d", i)
		}
		bottest.Eventually(t, "every reply", 30*time.Second, func() bool { return len(k.Accepted()) >= 2+shoppers*msgs })
		for s := range shoppers {
			if got := k.Texts(fmt.Sprintf("9198200%05d", s)); !slices.Equal(got, want) {
				t.Fatalf("shopper %d replies %v, want %v", s, got, want)
			}
		}
	})
}

func TestKillAfter200BeforeKaleyraAnswers(t *testing.T) {
	url, prefix := sharedRedis(t)
	flow := keywordFlow(t)
	k := kaleyratest.Run(t)
	started, release := make(chan struct{}), make(chan struct{})
	k.SetRespond(func(n int, r kaleyratest.Request) kaleyratest.Answer {
		if n == 1 {
			close(started)
			<-release // the process is killed while Kaleyra "thinks"
			return kaleyratest.Fail("WA500")
		}
		return kaleyratest.Accept(fmt.Sprintf("kal-%d", n))
	})
	a := serve(t, flow, url, prefix, k)
	phone := "919833300000"
	if code := a.post(phone, "wamid.k1", "hello"); code != 200 {
		t.Fatalf("POST = %d", code)
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for the send to start")
	}
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-a.done
	close(release)

	b := serve(t, flow, url, prefix, k)
	bottest.Eventually(t, "the reply after restart", 15*time.Second, func() bool { return len(k.Accepted()) == 1 })
	if got := k.Texts(phone); !slices.Equal(got, []string{"m00"}) {
		t.Fatalf("replies %v, want [m00] once", got)
	}

	// Graceful stop: SIGTERM ends the process within the shutdown timeout.
	start := time.Now()
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.done:
		if b.err != nil {
			t.Fatalf("souk serve exited with %v after SIGTERM", b.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("souk serve did not stop within 10s of SIGTERM")
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Fatalf("stop took %v", d)
	}
	if got := len(k.WaitFor(2, 5*time.Second)); got != 2 {
		t.Fatalf("Kaleyra saw %d requests, want 2 (the killed one and the delivery)", got)
	}
}

func TestRedisOutage(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed: skipping the outage test")
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	startRedis := func() *exec.Cmd {
		cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", port, "--dir", dir, "--save", "",
			"--appendonly", "yes", "--appendfsync", "always")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		defer rdb.Close()
		bottest.Eventually(t, "redis-server up", 10*time.Second, func() bool { return rdb.Ping(context.Background()).Err() == nil })
		return cmd
	}
	stopRedis := func(cmd *exec.Cmd) {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
	rs := startRedis()
	t.Cleanup(func() { stopRedis(rs) })

	flow := keywordFlow(t)
	k := kaleyratest.Run(t)
	p := serve(t, flow, "redis://"+addr+"/0", "souk", k)
	phone := "919844400000"
	if code := p.post(phone, "wamid.o1", "m00"); code != 200 {
		t.Fatalf("POST before the outage = %d", code)
	}
	bottest.Eventually(t, "first reply", 10*time.Second, func() bool { return len(k.Texts(phone)) == 1 })
	// Stop Redis only once the outbox recorded the reply as sent: one sent but
	// not yet recorded is sent again after the outage (at least once).
	st, _, err := store.Open("redis://"+addr+"/0", store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ref := k.Accepted()[0].Ref()
	bottest.Eventually(t, "the first reply recorded as sent", 10*time.Second, func() bool {
		s, err := st.Status(context.Background(), phone, ref)
		return err == nil && s.Status == store.StatusSent
	})
	st.Close()

	stopRedis(rs)
	bottest.Eventually(t, "503 while Redis is down", 10*time.Second, func() bool { return p.post(phone, "wamid.o2", "m01") == 503 })
	if code := p.get("/readyz"); code != 503 {
		t.Fatalf("/readyz during the outage = %d, want 503", code)
	}
	if code := p.get("/healthz"); code != 200 {
		t.Fatalf("/healthz during the outage = %d, want 200", code)
	}

	rs = startRedis()
	bottest.Eventually(t, "200 after Redis returns", 15*time.Second, func() bool { return p.post(phone, "wamid.o2", "m01") == 200 })
	if code := p.post(phone, "wamid.o3", "m02"); code != 200 {
		t.Fatalf("POST after recovery = %d", code)
	}
	if code := p.get("/readyz"); code != 200 {
		t.Fatalf("/readyz after recovery = %d", code)
	}
	bottest.Eventually(t, "every acknowledged reply", 15*time.Second, func() bool { return len(k.Texts(phone)) >= 3 })
	if got := k.Texts(phone); !slices.Equal(got, []string{"m00", "m01", "m02"}) {
		t.Fatalf("replies %v, want [m00 m01 m02]", got)
	}
}
