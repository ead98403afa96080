# FindLibNode — Debian's libnode108 / libnode-dev (Node 18, V8 10.2), unpacked by
# scripts/setup.sh into ${PROJECT_SOURCE_DIR}/.deps/libnode (installing the packages conflicts
# with the machine's Node 20). Defines the IMPORTED target LibNode::node (libnode + libuv,
# headers under usr/include/node). Only src/sandbox may link it (DESIGN.md §1).
#
# Input:  LIBNODE_ROOT (default ${PROJECT_SOURCE_DIR}/.deps/libnode)
# Output: LibNode_FOUND, LibNode_INCLUDE_DIR, LibNode_LIBRARY, LibNode_LIBRARY_DIR, LibNode::node
# Binaries linking LibNode::node get the library directory in their RUNPATH (CMake adds the
# directory of every linked IMPORTED shared library to the build RPATH; the INTERFACE link
# option below keeps it there for an install too), so they run without LD_LIBRARY_PATH.

if(NOT LIBNODE_ROOT)
  set(LIBNODE_ROOT "${PROJECT_SOURCE_DIR}/.deps/libnode")
endif()

find_path(LibNode_INCLUDE_DIR
  NAMES v8.h node.h
  PATHS "${LIBNODE_ROOT}/usr/include/node"
  NO_DEFAULT_PATH)
find_library(LibNode_LIBRARY
  NAMES libnode.so.108 node
  PATHS "${LIBNODE_ROOT}/usr/lib/x86_64-linux-gnu" "${LIBNODE_ROOT}/usr/lib"
  NO_DEFAULT_PATH)
# libuv: uv.h (node.h includes it) and the shared library come from the system (libuv1-dev).
find_path(LibNode_UV_INCLUDE_DIR NAMES uv.h)
find_library(LibNode_UV_LIBRARY NAMES uv libuv.so.1)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibNode
  REQUIRED_VARS LibNode_LIBRARY LibNode_INCLUDE_DIR LibNode_UV_LIBRARY LibNode_UV_INCLUDE_DIR
  FAIL_MESSAGE "libnode not found under ${LIBNODE_ROOT}: run scripts/setup.sh")

if(LibNode_FOUND AND NOT TARGET LibNode::node)
  get_filename_component(LibNode_LIBRARY_DIR "${LibNode_LIBRARY}" DIRECTORY)
  add_library(LibNode::uv UNKNOWN IMPORTED GLOBAL)
  set_target_properties(LibNode::uv PROPERTIES
    IMPORTED_LOCATION "${LibNode_UV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibNode_UV_INCLUDE_DIR}")
  add_library(LibNode::node SHARED IMPORTED GLOBAL)
  set_target_properties(LibNode::node PROPERTIES
    IMPORTED_LOCATION "${LibNode_LIBRARY}"
    IMPORTED_NO_SONAME FALSE
    # SYSTEM: V8's headers are not ours to warn about.
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${LibNode_INCLUDE_DIR}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibNode_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "LibNode::uv;Threads::Threads"
    INTERFACE_LINK_OPTIONS "LINKER:-rpath,${LibNode_LIBRARY_DIR}")
endif()

mark_as_advanced(LibNode_INCLUDE_DIR LibNode_LIBRARY LibNode_UV_INCLUDE_DIR LibNode_UV_LIBRARY)
