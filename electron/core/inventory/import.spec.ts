import { describe, expect, it } from 'vitest';
import { parseCsvInventory, parseYamlInventory } from './import';

describe('inventory import', () => {
  it('reads a CSV with a header, aliases and defaults', () => {
    const r = parseCsvInventory('name,host,port,user,key,sudo,role\n# comment\nweb1,10.0.0.1,2222,ops,/k/id_ed25519,nopasswd,server\ndb1,10.0.0.2,,root,,,agent\n');
    expect(r.errors).toEqual([]);
    expect(r.hosts).toEqual([
      { line: 2, input: { name: 'web1', address: '10.0.0.1', port: 2222, user: 'ops', keyPath: '/k/id_ed25519', sudo: 'nopasswd', role: 'server', auth: 'key' } },
      { line: 3, input: { name: 'db1', address: '10.0.0.2', user: 'root', role: 'agent', auth: 'agent' } },
    ]);
  });

  it('names the line of a malformed CSV', () => {
    const r = parseCsvInventory('name,address\n"unterminated,1.2.3.4\n');
    expect(r.hosts).toEqual([]);
    expect(r.errors[0].message).toMatch(/quote|Quote/);
  });

  it('reads a hosts: list and an Ansible inventory with groups as roles', () => {
    expect(parseYamlInventory('hosts:\n  - { address: 10.1.1.1, user: admin, password: pw }\n').hosts[0].input)
      .toEqual({ address: '10.1.1.1', user: 'admin', password: 'pw', auth: 'password' });
    const ans = parseYamlInventory(`all:
  vars: { ansible_user: deploy }
  children:
    k3s_servers:
      hosts:
        node1: { ansible_host: 192.168.10.11 }
    k3s_agents:
      hosts:
        node2: { ansible_host: 192.168.10.12, ansible_port: 2200 }
`);
    expect(ans.errors).toEqual([]);
    expect(ans.hosts.map((h) => h.input)).toEqual([
      { name: 'node1', address: '192.168.10.11', role: 'server', user: 'deploy', auth: 'agent' },
      { name: 'node2', address: '192.168.10.12', role: 'agent', user: 'deploy', port: 2200, auth: 'agent' },
    ]);
  });

  it('explains what it expected from an unknown YAML shape', () => {
    expect(parseYamlInventory('foo: 1').errors[0].message).toMatch(/hosts/);
  });
});
