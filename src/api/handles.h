// The opaque handle types of the C interface, defined over the C++ core.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"

struct lq_model {
    std::unique_ptr<lq::Model> impl;
    std::vector<std::string> tensor_names;  // NUL-terminated copies for lq_tensor_info
};

#include "runtime/context.h"

struct lq_context {
    std::unique_ptr<lq::Context> impl;
};
