package store_test

import (
	"testing"

	"github.com/souk-commerce/souk/store/storetest"
)

func TestConformanceMiniredis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		return storetest.Miniredis(t)
	})
}

func TestConformanceRedis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend { return storetest.Redis(t) })
}

func TestConformanceMiniredisCluster(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend { return storetest.MiniredisCluster(t) })
}
