/** `data-testid` for props objects (antd's okButtonProps, onRow), where TS refuses data-* keys in literals. */
export function testId(id: string): object {
  return { 'data-testid': id };
}
