// Native HTML5 drag and drop of customer rows onto organizations: what a drag carries, and the
// small "3 customers" chip shown under the pointer instead of a ghost of the whole table row.
import type { DragEvent } from 'react';

/** Marks drags that carry customers, so drop zones ignore files, text and links. */
export const CUSTOMER_DRAG_TYPE = 'application/x-kunde-customers';

export function startCustomerDrag(event: DragEvent, customerIds: string[], label: string): void {
  const transfer = event.dataTransfer;
  transfer.effectAllowed = 'move';
  transfer.setData(CUSTOMER_DRAG_TYPE, JSON.stringify(customerIds));
  transfer.setData('text/plain', label);

  const chip = document.createElement('div');
  chip.textContent = label;
  Object.assign(chip.style, {
    position: 'fixed',
    top: '-1000px',
    left: '0',
    padding: '6px 12px',
    borderRadius: '999px',
    background: 'var(--mantine-color-blue-filled)',
    color: 'white',
    font: '500 13px/1.4 var(--mantine-font-family)',
    whiteSpace: 'nowrap',
    boxShadow: '0 4px 12px rgba(0,0,0,.2)',
  } satisfies Partial<CSSStyleDeclaration>);
  document.body.appendChild(chip);
  transfer.setDragImage(chip, 16, 16);
  // The browser has taken its picture of the chip by the next task.
  setTimeout(() => chip.remove(), 0);
}

export function carriesCustomers(event: DragEvent): boolean {
  return event.dataTransfer.types.includes(CUSTOMER_DRAG_TYPE);
}
