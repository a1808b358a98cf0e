module libquant.org/go/libquant

go 1.19
