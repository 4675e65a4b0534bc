// The dataflow plug-ins by name. Registration, part 2 of 2 (part 1, the name and its arch
// constraints: core/dataflow_catalog.cpp). A new dataflow adds its accessor here.
#include "accel/dataflow/dataflow.h"

namespace rcsim {

const IDataflow& ws_dataflow();  // ws_dataflow.cpp
const IDataflow& os_dataflow();  // os_dataflow.cpp
const IDataflow& is_dataflow();  // is_dataflow.cpp

std::vector<const IDataflow*> dataflow_plugins() { return {&ws_dataflow(), &os_dataflow(), &is_dataflow()}; }

const IDataflow& dataflow_plugin(Dataflow df) {
  for (const IDataflow* d : dataflow_plugins())
    if (d->id() == df) return *d;
  throw InternalError(std::string("dataflow '") + df.name() + "' is catalogued but has no plug-in (sim/accel/dataflow/dataflow_registry.cpp)");
}

}  // namespace rcsim
