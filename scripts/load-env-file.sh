# Sourced by the shell scripts: exports each VAR=value of the given file unless VAR is already set.
load_env_file() {
  local key value
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    [[ -z "${!key:-}" ]] && export "$key=$value"
  done <"$1"
}
