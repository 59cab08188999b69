import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** The chart's colours, read from the style sheet's variables so light and dark both hold. */
export function chartColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}

export interface ChartFrame {
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly data: uPlot.AlignedData;
}

const height = 220;

/**
 * One uPlot chart, drawn on a canvas in a box as wide as its container, made again when its
 * frame changes and removed with the component. The canvas is hidden from assistive technology:
 * every chart has a text alternative beside it (its caption, and a table).
 */
export function UplotChart({ frame, label }: { readonly frame: ChartFrame; readonly label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const chart = new uPlot(
      { ...frame.options, width: Math.max(element.clientWidth, 300), height },
      frame.data,
      element,
    );
    chart.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
    const resize = new ResizeObserver(() => {
      const width = Math.max(element.clientWidth, 300);
      if (width !== chart.width) chart.setSize({ width, height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [frame]);
  return <div class="chart" ref={box} data-chart={label} />;
}
