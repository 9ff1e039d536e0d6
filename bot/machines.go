package bot

import (
	"sync"
	"sync/atomic"

	"github.com/looplab/fsm"
	"github.com/souk-commerce/souk/flows"
)

// machines recycles looplab/fsm machines built from one flow's event table.
// Building a machine costs a map of every transition (about 20µs and 7 KiB
// for the pizzeria), so instead of one per event, each event takes a
// machine for itself from the pool, sets it to the conversation's state,
// fires its event and gives it back. No machine is ever shared by two
// events at once.
type machines struct {
	flow *flows.Flow
	pool sync.Pool
}

// machinePool holds the pool of the engine's current flow.
type machinePool struct{ cur atomic.Pointer[machines] }

// get returns a machine of f in state, from the pool when f is the flow
// the pool was made for.
func (p *machinePool) get(f *flows.Flow, state string) (*fsm.FSM, func()) {
	ms := p.cur.Load()
	if ms == nil || ms.flow != f {
		ms = &machines{flow: f}
		ms.pool.New = func() any { return fsm.NewFSM(f.Start.State, f.Events(), fsm.Callbacks{}) }
		p.cur.Store(ms)
	}
	m := ms.pool.Get().(*fsm.FSM)
	m.SetState(state)
	return m, func() { ms.pool.Put(m) }
}
