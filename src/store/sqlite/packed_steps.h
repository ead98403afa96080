// store/sqlite/packed_steps.h — owns the format of packed_step_records.records: a run's step
// records, in order, as one UTF-8 text. Per record: a one-line JSON array header [step id,
// status, attempts, startedAt, duration ms, the byte sizes of the four JSON texts that follow
// (-1 for null), then bundle vendor and version when set], a '\n', then the input, output,
// logs and error texts back to back. Each text is parsed on its own with the usual depth
// limit, so packing adds no nesting to what was stored. Headers of the first format (a keyed
// JSON object) are still read. It does no SQL.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/model.h"

namespace weft::store::sqlite {

std::string pack_steps(std::span<const StepRunRecord> steps);
// The records of run `run` in `org` from pack_steps' text; "internal_error" if it is corrupt.
Result<std::vector<StepRunRecord>> unpack_steps(const RunId& run, const OrgId& org, std::string_view packed);

}  // namespace weft::store::sqlite
