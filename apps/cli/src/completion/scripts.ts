// The bash and zsh glue: each asks `coxctl __complete WORDS…` for candidates, so the
// scripts stay tiny and completion always matches the installed coxctl.

export const BASH_COMPLETION = `# bash completion for coxctl                               -*- shell-script -*-
# Load it with:  source <(coxctl completion bash)
__coxctl_complete() {
    local line="\${COMP_LINE:0:COMP_POINT}" cur="\${COMP_WORDS[COMP_CWORD]}"
    local -a words cands
    read -ra words <<< "$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    local word="\${words[\${#words[@]}-1]}"
    # bash splits words at = and :, so strip what it considers already typed.
    local prefix="\${word%"$cur"}" c IFS=$'\\n'
    cands=($("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null))
    if [[ \${cands[0]} == __files__ ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
    fi
    COMPREPLY=()
    for c in "\${cands[@]}"; do
        [[ $c == "$word"* ]] && COMPREPLY+=("\${c#"$prefix"}")
    done
    for c in "\${COMPREPLY[@]}"; do
        [[ $c == *= ]] && { compopt -o nospace 2>/dev/null; break; }
    done
}
complete -o default -F __coxctl_complete coxctl
`;

export const ZSH_COMPLETION = `#compdef coxctl
# zsh completion for coxctl. Load it with:  source <(coxctl completion zsh)
# or save it as _coxctl in a directory of your $fpath.
_coxctl() {
    local -a cands spaced unspaced
    local IFS=$'\\n' c
    cands=($(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null))
    if [[ \${cands[1]} == __files__ ]]; then
        _files
        return
    fi
    for c in $cands; do
        if [[ $c == *= ]]; then unspaced+=($c); else spaced+=($c); fi
    done
    (( \${#spaced} )) && compadd -Q -- $spaced
    (( \${#unspaced} )) && compadd -Q -S '' -- $unspaced
}
if [[ $funcstack[1] == _coxctl ]]; then
    _coxctl "$@"
else
    compdef _coxctl coxctl
fi
`;
