// A uPlot chart that fills its container's width and follows its resizes. uPlot draws on canvas
// and is imperative, so it is created once and fed new data through setData.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** Options without width (taken from the container). Rebuilt when `optionsKey` changes. */
  options: Omit<uPlot.Options, 'width'>;
  optionsKey: string;
  data: uPlot.AlignedData;
  testId: string;
  label: string;
}

export function Chart({ options, optionsKey, data, testId, label }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const element = container.current!;
    const chart = new uPlot({ ...options, width: Math.max(element.clientWidth, 200) }, latestData.current, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(element.clientWidth, 200), height: options.height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [optionsKey]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div class="chart" ref={container} data-testid={testId} role="img" aria-label={label} />;
}

/** Bars when asked, lines otherwise: the statistics page lets the operator pick. */
export function seriesPaths(kind: 'bar' | 'line'): uPlot.Series.PathBuilder | undefined {
  return kind === 'bar' ? uPlot.paths.bars!({ size: [0.6, 60] }) : undefined;
}
