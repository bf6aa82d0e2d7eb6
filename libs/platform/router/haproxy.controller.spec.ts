import { currentWorkers } from './haproxy.controller';

describe('currentWorkers', () => {
  it("reads the pids under '# workers' of HAProxy 2.6's show proc, not the old workers", () => {
    const showProc = [
      '#<PID>          <type>          <reloads>       <uptime>        <version>      ',
      '7662            master          209 [failed: 0] 0d00h08m40s     2.6.12-1+deb12u4',
      '# workers',
      '25714           worker          0               0d00h00m00s     2.6.12-1+deb12u4',
      '# old workers',
      '25690           worker          1               0d00h00m03s     2.6.12-1+deb12u4',
      '# programs',
      '',
    ].join('\n');
    expect(currentWorkers(showProc)).toEqual(['25714']);
  });

  it('finds none in an empty answer', () => {
    expect(currentWorkers('')).toEqual([]);
  });
});
