//go:build unix

package export_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// browser is headless Chromium driven over the DevTools protocol through
// a pipe (--remote-debugging-pipe: commands on its fd 3, answers on its fd
// 4, each message JSON ended by a NUL byte). The standard library has no
// WebSocket client; the pipe needs none.
type browser struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	out    *os.File // our end of the browser's fd 3

	mu      sync.Mutex
	next    int64
	pending map[int64]chan cdpReply
	dead    chan struct{} // closed when the browser's output ends
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// startBrowser starts Chromium with a profile in dir. The test's cleanup
// closes it and kills what is left of its process group.
func startBrowser(t *testing.T, bin, dir string) *browser {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--font-render-hinting=none",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--remote-debugging-pipe", "about:blank")
	ownGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	theirIn, ourOut, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ourIn, theirOut, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{theirIn, theirOut} // fd 3, fd 4
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start chromium: %v", err)
	}
	theirIn.Close()
	theirOut.Close()
	b := &browser{cmd: cmd, cancel: cancel, out: ourOut, pending: map[int64]chan cdpReply{}, dead: make(chan struct{})}
	go b.read(ourIn)
	t.Cleanup(func() {
		ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		_, _ = b.call(ctx, "", "Browser.close", nil)
		stop()
		ourOut.Close()
		select {
		case <-b.dead:
		case <-time.After(10 * time.Second):
		}
		cancel()
		_ = cmd.Wait()
		ourIn.Close()
	})
	return b
}

// read hands each answer to its caller; events are not used.
func (b *browser) read(in *os.File) {
	defer close(b.dead)
	r := bufio.NewReaderSize(in, 1<<20)
	for {
		msg, err := r.ReadBytes(0)
		if err != nil {
			return
		}
		var m struct {
			ID int64 `json:"id"`
			cdpReply
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue
		}
		b.mu.Lock()
		ch := b.pending[m.ID]
		delete(b.pending, m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// call sends a command, to the browser or to the page of session, and
// waits for its answer.
func (b *browser) call(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan cdpReply, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	if _, err := b.out.Write(append(data, 0)); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			return nil, fmt.Errorf("%s: %s (%d)", method, r.Error.Message, r.Error.Code)
		}
		return r.Result, nil
	case <-b.dead:
		return nil, fmt.Errorf("%s: chromium exited", method)
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// tab is one page of the browser.
type tab struct {
	t       *testing.T
	b       *browser
	session string
}

// newTab opens a blank page and attaches to it.
func (b *browser) newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var target struct {
		TargetID string `json:"targetId"`
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	raw, err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err == nil {
		err = json.Unmarshal(raw, &target)
	}
	if err == nil {
		raw, err = b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true})
	}
	if err == nil {
		err = json.Unmarshal(raw, &attached)
	}
	if err != nil {
		t.Fatalf("open a page in chromium: %v", err)
	}
	return &tab{t: t, b: b, session: attached.SessionID}
}

// do runs a command on the page, failing the test on an error.
func (p *tab) do(method string, params any, result any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	raw, err := p.b.call(ctx, p.session, method, params)
	if err == nil && result != nil {
		err = json.Unmarshal(raw, result)
	}
	if err != nil {
		p.t.Fatalf("chromium: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page, awaiting a promise,
// and decodes its value (which must be JSON) into result.
func (p *tab) eval(expr string, result any) {
	p.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	p.do("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	if r.Exception != nil {
		p.t.Fatalf("javascript: %s %s", r.Exception.Text, r.Exception.Exception.Description)
	}
	if result != nil {
		if err := json.Unmarshal(r.Result.Value, result); err != nil {
			p.t.Fatalf("javascript result %s: %v", r.Result.Value, err)
		}
	}
}

// view sets the page's viewport (CSS pixels) and media ("" for screen,
// "print").
func (p *tab) view(width, height int, mobile bool, media string) {
	p.t.Helper()
	p.do("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height,
		"deviceScaleFactor": 1, "mobile": mobile}, nil)
	p.do("Emulation.setEmulatedMedia", map[string]any{"media": media}, nil)
}

// open loads url and waits until it is complete.
func (p *tab) open(url string) {
	p.t.Helper()
	p.do("Page.navigate", map[string]any{"url": url}, nil)
	deadline := time.Now().Add(time.Minute)
	for {
		var ready bool
		p.eval(fmt.Sprintf("location.href === %q && document.readyState === 'complete'", url), &ready)
		if ready {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("chromium did not load %s", url)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshots writes the whole page as PNGs of the viewport's width and
// at most 1600 CSS pixels high each, scrolling down: name-01.png,
// name-02.png, … It leaves the viewport 1600 pixels high.
func (p *tab) screenshots(dir, name string, width int, mobile bool) {
	p.t.Helper()
	const chunk = 1600
	p.do("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": chunk,
		"deviceScaleFactor": 1, "mobile": mobile}, nil)
	var height int
	p.eval(`document.documentElement.scrollHeight`, &height)
	for i, y := 1, 0; y < height; i, y = i+1, y+chunk {
		var at int
		p.eval(fmt.Sprintf("window.scrollTo(0, %d), Math.round(window.scrollY)", y), &at)
		var shot struct {
			Data string `json:"data"`
		}
		p.do("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
		png, err := base64.StdEncoding.DecodeString(shot.Data)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%02d.png", name, i)), png, 0o644)
		}
		if err != nil {
			p.t.Fatal(err)
		}
	}
	p.eval("window.scrollTo(0, 0), true", nil)
}

// pdf prints the page as the browser's print dialog would, with the page
// size and margins of its @page rule.
func (p *tab) pdf() []byte {
	p.t.Helper()
	var out struct {
		Data string `json:"data"`
	}
	p.do("Page.printToPDF", map[string]any{"preferCSSPageSize": true, "printBackground": false}, &out)
	data, err := base64.StdEncoding.DecodeString(out.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	return data
}

// axe runs axe-core (testdata/axe-core) on the page and returns its
// violations, one line each.
func (p *tab) axe(source string) []string {
	p.t.Helper()
	p.eval(source+";true", nil)
	var violations []string
	p.eval(`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>
		v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 5).map(n => n.target.join(' ')).join('; ')))`, &violations)
	return violations
}
