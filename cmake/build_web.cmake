# Builds the web app (web/ → web/dist) at build time: `npm ci` when node_modules is missing or
# older than package-lock.json, then `npm run build`. -DWEB=<web dir> -DNPM=<npm>
if(NOT EXISTS "${WEB}/node_modules/.package-lock.json" OR
   "${WEB}/package-lock.json" IS_NEWER_THAN "${WEB}/node_modules/.package-lock.json")
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund WORKING_DIRECTORY "${WEB}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci in ${WEB} failed (${rc})")
  endif()
endif()
execute_process(COMMAND "${NPM}" run build WORKING_DIRECTORY "${WEB}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm run build in ${WEB} failed (${rc})")
endif()
