#include "store/sqlite/packed_steps.h"

#include <charconv>

#include "core/json.h"

namespace weft::store::sqlite {

namespace {

// The JSON text of `value`, or nothing for null (its size is written as -1).
void append_text(const json& value, std::string& texts, std::string& sizes) {
  if (!sizes.empty()) sizes += ',';
  if (value.is_null()) {
    sizes += "-1";
    return;
  }
  const std::string text = json_text(value);
  sizes += std::to_string(text.size());
  texts += text;
}

Error corrupt(const RunId& run, const std::string& why) {
  return Error::internal("the packed step records of run " + run.str() + " are corrupt: " + why);
}

}  // namespace

std::string pack_steps(std::span<const StepRunRecord> steps) {
  std::string out;
  std::string texts;
  std::string sizes;
  for (const StepRunRecord& step : steps) {
    texts.clear();
    sizes.clear();
    append_text(step.input, texts, sizes);
    append_text(step.output, texts, sizes);
    append_text(step.logs, texts, sizes);
    append_text(step.error, texts, sizes);
    // [step, status, attempts, startedAt, finishedAt - startedAt, 4 sizes, bundle vendor and
    // version when set]: a third of the keyed object it replaced, so two runs of ten steps
    // share a 4 KB page instead of one each.
    out += '[';
    out += json_text(json(step.step_id));
    out += ",\"";
    out += to_string(step.status);
    out += "\",";
    out += std::to_string(step.attempts);
    out += ',';
    out += std::to_string(step.started_at);
    out += ',';
    out += std::to_string(step.finished_at - step.started_at);
    out += ',';
    out += sizes;
    if (!step.bundle_vendor.empty() || !step.bundle_version.empty()) {
      out += ',';
      out += json_text(json(step.bundle_vendor));
      out += ',';
      out += json_text(json(step.bundle_version));
    }
    out += "]\n";
    out += texts;
  }
  return out;
}

namespace {

// [step, status, attempts, startedAt, duration, 4 sizes(, vendor, version)], as written now.
bool read_header(const json& h, StepRunRecord& step, json& sizes) {
  if ((h.size() != 9 && h.size() != 11) || !h[0].is_string() || !h[1].is_string() ||
      !h[2].is_number_integer() || !h[3].is_number_integer() || !h[4].is_number_integer()) {
    return false;
  }
  step.step_id = h[0].get<std::string>();
  auto status = parse_step_status(h[1].get<std::string>());
  if (!status) return false;
  step.status = *status;
  step.attempts = h[2].get<int>();
  step.started_at = h[3].get<TimeMs>();
  step.finished_at = step.started_at + h[4].get<TimeMs>();
  sizes = json::array({h[5], h[6], h[7], h[8]});
  if (h.size() == 11) {
    if (!h[9].is_string() || !h[10].is_string()) return false;
    step.bundle_vendor = h[9].get<std::string>();
    step.bundle_version = h[10].get<std::string>();
  }
  return true;
}

// {"step", "status", "attempts", "startedAt", "finishedAt", "bundleVendor"?, "bundleVersion"?,
// "sizes"}: the first header format, still in databases written before the one above.
bool read_keyed_header(const json& h, StepRunRecord& step, json& sizes) {
  if (!h.contains("step") || !h["step"].is_string() || !h.contains("status") || !h["status"].is_string() ||
      !h.contains("sizes") || !h["sizes"].is_array() || h["sizes"].size() != 4) {
    return false;
  }
  step.step_id = h["step"].get<std::string>();
  auto status = parse_step_status(h["status"].get<std::string>());
  if (!status) return false;
  step.status = *status;
  step.attempts = h.value("attempts", 0);
  step.started_at = h.value("startedAt", TimeMs{0});
  step.finished_at = h.value("finishedAt", TimeMs{0});
  step.bundle_vendor = h.value("bundleVendor", std::string());
  step.bundle_version = h.value("bundleVersion", std::string());
  sizes = h["sizes"];
  return true;
}

Result<std::vector<StepRunRecord>> unpack_steps_or_throw(const RunId& run, const OrgId& org, std::string_view packed) {
  std::vector<StepRunRecord> out;
  std::size_t at = 0;
  while (at < packed.size()) {
    const std::size_t end = packed.find('\n', at);
    if (end == std::string_view::npos) return corrupt(run, "a header without its end");
    auto header = parse_json(packed.substr(at, end - at), 3);
    if (!header.ok() || !(header->is_array() || header->is_object())) {
      return corrupt(run, "a header that is not a JSON array or object");
    }
    at = end + 1;
    StepRunRecord step;
    step.run = run;
    step.org = org;
    json sizes;
    if (header->is_array()) {
      if (!read_header(*header, step, sizes)) return corrupt(run, "a header without step, status, times or four sizes");
    } else if (!read_keyed_header(*header, step, sizes)) {
      return corrupt(run, "a header without step, status or four sizes");
    }
    json* fields[] = {&step.input, &step.output, &step.logs, &step.error};
    for (std::size_t i = 0; i < 4; ++i) {
      const json& size = sizes[i];
      if (!size.is_number_integer()) return corrupt(run, "a size that is not an integer");
      const std::int64_t n = size.get<std::int64_t>();
      if (n == -1) {
        *fields[i] = nullptr;
        continue;
      }
      if (n < 0 || static_cast<std::uint64_t>(n) > packed.size() - at) return corrupt(run, "a size past the end");
      auto value = parse_json(packed.substr(at, static_cast<std::size_t>(n)));
      if (!value.ok()) return corrupt(run, value.error().message);
      *fields[i] = std::move(value).take();
      at += static_cast<std::size_t>(n);
    }
    out.push_back(std::move(step));
  }
  return out;
}

}  // namespace

Result<std::vector<StepRunRecord>> unpack_steps(const RunId& run, const OrgId& org, std::string_view packed) {
  try {
    return unpack_steps_or_throw(run, org, packed);
  } catch (const json::exception& e) {  // a header field of the wrong type
    return corrupt(run, e.what());
  }
}

}  // namespace weft::store::sqlite
