#include "core/result.h"

namespace weft {

nlohmann::json Error::to_public_json() const {
  if (!is_public) {
    return {{"code", "internal_error"}, {"message", "an internal error occurred"}};
  }
  nlohmann::json out = {{"code", code}, {"message", message}};
  if (!details.is_null()) out["details"] = details;
  return out;
}

}  // namespace weft
