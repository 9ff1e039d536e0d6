package store_test

import (
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/store"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, url string
		want      string // client kind: node, cluster, sentinel; "" = error
		addrs     int
	}{
		{"single node", "redis://127.0.0.1:6379/0", "node", 1},
		{"single node with password", "redis://:secret@127.0.0.1:6379/2", "node", 1},
		{"cluster by host list", "redis://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002", "cluster", 3},
		{"cluster by addr", "redis://127.0.0.1:7000?addr=127.0.0.1:7001", "cluster", 2},
		{"cluster from one seed", "redis+cluster://127.0.0.1:7000", "cluster", 1},
		{"sentinel", "redis://127.0.0.1:26379,127.0.0.1:26380/0?master_name=mymaster", "sentinel", 0},
		{"bad scheme", "http://127.0.0.1:6379", "", 0},
		{"bad option", "redis://127.0.0.1:6379?no_such_option=1", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := store.ParseURL(tc.url)
			if tc.want == "" {
				if err == nil {
					c.Close()
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			switch cl := c.(type) {
			case *redis.ClusterClient:
				if tc.want != "cluster" || len(cl.Options().Addrs) != tc.addrs {
					t.Fatalf("cluster with %v, want %s/%d", cl.Options().Addrs, tc.want, tc.addrs)
				}
			case *redis.Client:
				if tc.want == "cluster" {
					t.Fatalf("got a node client, want %s", tc.want)
				}
			}
		})
	}
}
