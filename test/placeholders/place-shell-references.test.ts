import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { placeShellReferences, shellScriptIndex } from '../../src/placeholders/index.ts';

const known = (name: string) => name === 'who' || name === 'n';
const place = (script: string) => placeShellReferences(script, known);
const rewrite = (script: string) => {
  const placed = place(script);
  assert.deepEqual(placed.problems, [], script);
  return placed.script;
};
const problems = (script: string) => place(script).problems.map(({ offset, message }) => [offset, message]);

/** Runs the rewritten script in a real shell with the value in the environment; returns stdout. */
function run(shell: string, script: string, value: string): string {
  return execFileSync(shell, ['-c', rewrite(script)], {
    env: { PATH: process.env['PATH'], CRONPLANE_PARAM_who: value },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('placing shell references', () => {
  it('quotes the reference for the context the placeholder stands in', () => {
    assert.equal(rewrite('echo {who}'), 'echo "${CRONPLANE_PARAM_who}"');
    assert.equal(rewrite('echo --to={who}x'), 'echo --to="${CRONPLANE_PARAM_who}"x');
    assert.equal(rewrite('echo "hi {who}"'), 'echo "hi ${CRONPLANE_PARAM_who}"');
    assert.equal(rewrite("echo 'hi {who}'"), `echo 'hi '"\${CRONPLANE_PARAM_who}"''`);
    assert.equal(rewrite("echo $'\\t{who}'"), `echo $'\\t'"\${CRONPLANE_PARAM_who}"$''`);
    assert.equal(rewrite('echo $(echo {who})'), 'echo $(echo "${CRONPLANE_PARAM_who}")');
    assert.equal(rewrite('echo "$(echo {who})"'), 'echo "$(echo "${CRONPLANE_PARAM_who}")"');
    assert.equal(rewrite('echo `echo {who}`'), 'echo `echo "${CRONPLANE_PARAM_who}"`');
    assert.equal(rewrite('cat <<< {who}'), 'cat <<< "${CRONPLANE_PARAM_who}"');
    assert.equal(
      rewrite('cat <<EOF\nhi {who}\nEOF\necho {who}'),
      'cat <<EOF\nhi ${CRONPLANE_PARAM_who}\nEOF\necho "${CRONPLANE_PARAM_who}"',
    );
    assert.equal(
      rewrite('cat <<-EOF\n\thi "{who}"\n\tEOF'),
      'cat <<-EOF\n\thi "${CRONPLANE_PARAM_who}"\n\tEOF',
    );
  });

  it('says which variables the script needs, and leaves other braces and comments alone', () => {
    const placed = place('{ echo {who}; } # {who}\necho {other} ${HOME} "$X" {who}');
    assert.equal(
      placed.script,
      '{ echo "${CRONPLANE_PARAM_who}"; } # {who}\necho {other} ${HOME} "$X" "${CRONPLANE_PARAM_who}"',
    );
    assert.deepEqual(placed.used, ['who']);
    assert.deepEqual(
      place('echo a#{who}').script,
      'echo a#"${CRONPLANE_PARAM_who}"',
      'a # inside a word is not a comment',
    );
  });

  it('keeps a literal backslash before a placeholder in double quotes', () => {
    assert.equal(run('sh', 'printf %s "a\\{who}"', 'v'), 'a\\v');
  });

  it('refuses placeholders the shell cannot expand as data', () => {
    assert.deepEqual(problems("cat <<'EOF'\n{who}\nEOF")[0]?.[0], 12);
    assert.match(String(problems('cat <<"E"\n{who}\nE')[0]?.[1]), /quoted here-document/);
    assert.match(String(problems('cat <<\\E\n{who}\nE')[0]?.[1]), /quoted here-document/);
    for (const script of ['echo $(( {n} + 1 ))', '(( x = {n} ))', 'echo $[{n}]', 'echo $(( $(echo {n}) ))']) {
      assert.match(String(problems(script)[0]?.[1]), /arithmetic/, script);
    }
    assert.match(String(problems('echo ${X:-{who}}')[0]?.[1]), /inside \$\{\.\.\.\}/);
    assert.deepEqual(problems('echo ${who} "${who}" \'${who}\''), [], "${who} is the shell's variable");
    assert.match(String(problems('echo \\{who}')[0]?.[1]), /after a backslash/);
    assert.deepEqual(problems("cat <<'EOF'\n{who}\nEOF\necho {who}").length, 1, 'only the here-document');
  });

  it('hands a hostile value to sh and bash as one word in every context', () => {
    const value = `a  b\t* $(touch /nonexistent/x) \`id\` ' " \\ ; | & \n$HOME ~ {who}`;
    for (const shell of ['sh', 'bash']) {
      assert.equal(run(shell, 'printf "%s|" {who}', value), `${value}|`, shell);
      assert.equal(run(shell, 'printf "%s|" "<{who}>"', value), `<${value}>|`, shell);
      assert.equal(run(shell, "printf '%s|' '<{who}>'", value), `<${value}>|`, shell);
      assert.equal(run(shell, 'printf "%s|" "$(printf "%s" {who})"', value), `${value}|`, shell);
      assert.equal(run(shell, 'printf "%s|" "`printf "%s" {who}`"', value), `${value}|`, shell);
      assert.equal(run(shell, 'cat <<EOF\n<{who}>\nEOF', value), `<${value}>\n`, shell);
    }
    assert.equal(run('bash', "printf '%s|' $'<\\t{who}>'", value), `<\t${value}>|`);
  });
});

describe('the script of a shell in argv form', () => {
  it('is the first operand after the shell and its options, when -c is among them', () => {
    assert.equal(shellScriptIndex(['sh', '-c', 'x', 'name', '1']), 2);
    assert.equal(shellScriptIndex(['/bin/bash', '-euc', 'x']), 2);
    assert.equal(shellScriptIndex(['bash', '-lc', 'x']), 2);
    assert.equal(shellScriptIndex(['bash', '--norc', '-o', 'pipefail', '-c', 'x']), 5);
    assert.equal(shellScriptIndex(['bash', '-c', '--', 'x']), 3);
    assert.equal(shellScriptIndex(['dash', '-e', '-c', 'x']), 3);
    assert.equal(shellScriptIndex(['timeout', '5', 'zsh', '-c', 'x']), 4);
    assert.equal(shellScriptIndex(['ksh', '-c', 'x']), 2);
  });

  it('is absent for a script file, a shell without -c, or no shell', () => {
    assert.equal(shellScriptIndex(['sh', 'script.sh', '-c']), undefined);
    assert.equal(shellScriptIndex(['bash', '-e']), undefined);
    assert.equal(shellScriptIndex(['python', '-c', 'x']), undefined);
    assert.equal(shellScriptIndex(['shx', '-c', 'x']), undefined);
  });
});
